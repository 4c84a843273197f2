//! Faults a test switches on to see how a client copes with a misbehaving Confluence.
//!
//! Faults touch REST requests only (`rest/...` and `api/v2/...` under the site); the HTML views
//! and the inspection endpoints are never faulted. Each REST request asks, in this order:
//!
//! 1. `captcha` (Data Center; until switched off): 403 with Seraph's CAPTCHA headers;
//! 2. `htmlLogin` (until switched off): 200 `text/html` login page, as an SSO proxy answers;
//! 3. `rateLimit` (the next N requests): 429 (or the given status) with `Retry-After`;
//! 4. `unavailable` (the next N requests): 503, with `Retry-After` if given;
//! 5. `randomFailures`: with probability `rate`, one of 500, 503, 429, or (for a page create)
//!    a create that succeeds and then loses its connection; draws come from a xorshift
//!    generator seeded with `seed`, one or two per REST request, so a seed and a request order
//!    always give the same failures.
//!
//! Then the request runs; afterwards `dropAfterCreate` closes the connection of the next
//! successful page create without answering, and `concurrentEdit` gives the next page read
//! (get by id, or a find that returns it) a new version by another user, so the client's
//! following update is stale (409).
//!
//! The JSON `POST /__emulator/faults` takes (every key optional; named faults are replaced,
//! others kept):
//!
//! ```json
//! {"rateLimit": {"remaining": 2, "retryAfter": "2", "status": 429},
//!  "unavailable": {"remaining": 1, "retryAfter": "Wed, 21 Oct 2015 07:28:00 GMT"},
//!  "dropAfterCreate": {"remaining": 1}, "concurrentEdit": true,
//!  "captcha": true, "htmlLogin": false, "randomFailures": {"rate": 0.1, "seed": 42}}
//! ```
//!
//! `true` means `{"remaining": 1}` for the counted faults; `retryAfter` may be a number.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};
use thiserror::Error;

/// `Retry-After` for rate limits when none is given, in seconds.
const DEFAULT_RETRY_AFTER: &str = "1";

/// One fault to switch on (or off), for [`crate::RunningEmulator::inject`].
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// The next `remaining` REST requests answer `status` (usually 429) with `Retry-After`
    /// (seconds or an HTTP date) and, on Cloud, `X-RateLimit-Reset`.
    RateLimit {
        remaining: u32,
        retry_after: String,
        status: u16,
    },
    /// The next `remaining` REST requests answer 503, with `Retry-After` if given.
    Unavailable {
        remaining: u32,
        retry_after: Option<String>,
    },
    /// The next `remaining` successful page creates keep the page but close the connection
    /// without a response.
    DropAfterCreate { remaining: u32 },
    /// The next `remaining` page reads are followed by an edit from another user.
    ConcurrentEdit { remaining: u32 },
    /// Data Center only: every REST request meets a CAPTCHA challenge while `on`.
    Captcha { on: bool },
    /// Every REST request gets an HTML login page (200) while `on`.
    HtmlLogin { on: bool },
    /// Each REST request fails with probability `rate` (0 turns it off), reproducibly for a
    /// given `seed`.
    RandomFailures { rate: f64, seed: u64 },
}

/// Why a fault cannot be switched on.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum FaultError {
    #[error("the faults body is not of the documented shape: {0}")]
    BadJson(String),
    #[error("randomFailures.rate must be between 0 and 1, not {0}")]
    BadRate(f64),
    #[error("rateLimit.status must be an HTTP error status (400 to 599), not {0}")]
    BadStatus(u16),
    #[error("captcha is a Data Center fault; Confluence Cloud has no Seraph CAPTCHA")]
    CaptchaOnCloud,
}

/// What to do to a REST request before it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Injection {
    /// 403 with the CAPTCHA headers.
    Captcha,
    /// 200 with an HTML login page.
    HtmlLogin,
    /// An error status instead of running the request.
    Status {
        kind: &'static str,
        status: u16,
        retry_after: Option<String>,
    },
    /// Run the request, then close the connection without answering.
    DropAfterRun,
}

/// The faults switched on, and how often each fired.
#[derive(Clone, Debug, Default)]
pub struct FaultState {
    rate_limit: Option<Countdown<(String, u16)>>,
    unavailable: Option<Countdown<Option<String>>>,
    drop_after_create: u32,
    concurrent_edit: u32,
    captcha: bool,
    html_login: bool,
    random: Option<RandomFailures>,
    fired: BTreeMap<&'static str, u64>,
}

#[derive(Clone, Debug)]
struct Countdown<T> {
    remaining: u32,
    detail: T,
}

#[derive(Clone, Debug)]
struct RandomFailures {
    rate: f64,
    seed: u64,
    generator: XorShift,
}

impl FaultState {
    /// Switches one fault on (or off), replacing its previous setting.
    pub fn set(&mut self, fault: Fault) {
        match fault {
            Fault::RateLimit {
                remaining,
                retry_after,
                status,
            } => self.rate_limit = countdown(remaining, (retry_after, status)),
            Fault::Unavailable {
                remaining,
                retry_after,
            } => self.unavailable = countdown(remaining, retry_after),
            Fault::DropAfterCreate { remaining } => self.drop_after_create = remaining,
            Fault::ConcurrentEdit { remaining } => self.concurrent_edit = remaining,
            Fault::Captcha { on } => self.captcha = on,
            Fault::HtmlLogin { on } => self.html_login = on,
            Fault::RandomFailures { rate, seed } => {
                self.random = (rate > 0.0).then(|| RandomFailures {
                    rate,
                    seed,
                    generator: XorShift::new(seed),
                });
            }
        }
    }

    /// Every fault off; the counts of fired faults stay.
    pub fn clear(&mut self) {
        *self = Self {
            fired: std::mem::take(&mut self.fired),
            ..Self::default()
        };
    }

    /// How often each kind of fault fired, by its JSON name.
    pub fn fired(&self) -> BTreeMap<String, u64> {
        let fired = self.fired.iter();
        fired.map(|(kind, n)| ((*kind).to_owned(), *n)).collect()
    }

    /// The faults switched on, in the shape `POST /__emulator/faults` takes.
    pub fn active(&self) -> Value {
        let mut active = json!({});
        if let Some(limit) = &self.rate_limit {
            active["rateLimit"] = json!({"remaining": limit.remaining,
                "retryAfter": limit.detail.0, "status": limit.detail.1});
        }
        if let Some(unavailable) = &self.unavailable {
            active["unavailable"] = json!({"remaining": unavailable.remaining,
                "retryAfter": unavailable.detail});
        }
        let counted = [
            ("dropAfterCreate", self.drop_after_create),
            ("concurrentEdit", self.concurrent_edit),
        ];
        for (name, remaining) in counted.into_iter().filter(|(_, n)| *n > 0) {
            active[name] = json!({ "remaining": remaining });
        }
        for (name, on) in [("captcha", self.captcha), ("htmlLogin", self.html_login)] {
            if on {
                active[name] = json!(true);
            }
        }
        if let Some(random) = &self.random {
            active["randomFailures"] = json!({"rate": random.rate, "seed": random.seed});
        }
        active
    }

    /// What happens to the next REST request; `is_create` when it creates a page.
    pub fn before_request(&mut self, is_create: bool) -> Option<Injection> {
        let injection = self.switched_on().or_else(|| self.counted_down());
        let injection = injection.or_else(|| self.random_failure(is_create))?;
        let kind = match &injection {
            Injection::Captcha => "captcha",
            Injection::HtmlLogin => "htmlLogin",
            Injection::Status { kind, .. } => kind,
            Injection::DropAfterRun => "randomFailures",
        };
        *self.fired.entry(kind).or_default() += 1;
        Some(injection)
    }

    /// Whether the page create that just succeeded loses its connection.
    pub fn drop_after_create(&mut self) -> bool {
        self.take("dropAfterCreate", |state| &mut state.drop_after_create)
    }

    /// Whether the page read that just succeeded is followed by another user's edit.
    pub fn concurrent_edit(&mut self) -> bool {
        self.take("concurrentEdit", |state| &mut state.concurrent_edit)
    }

    fn take(&mut self, kind: &'static str, counter: fn(&mut Self) -> &mut u32) -> bool {
        let remaining = counter(self);
        if *remaining == 0 {
            return false;
        }
        *remaining -= 1;
        *self.fired.entry(kind).or_default() += 1;
        true
    }

    fn switched_on(&self) -> Option<Injection> {
        match (self.captcha, self.html_login) {
            (true, _) => Some(Injection::Captcha),
            (false, true) => Some(Injection::HtmlLogin),
            (false, false) => None,
        }
    }

    fn counted_down(&mut self) -> Option<Injection> {
        if let Some((retry_after, status)) = tick(&mut self.rate_limit) {
            let retry_after = Some(retry_after);
            let kind = "rateLimit";
            return Some(Injection::Status {
                kind,
                status,
                retry_after,
            });
        }
        let retry_after = tick(&mut self.unavailable)?;
        Some(Injection::Status {
            kind: "unavailable",
            status: 503,
            retry_after,
        })
    }

    fn random_failure(&mut self, is_create: bool) -> Option<Injection> {
        let random = self.random.as_mut()?;
        if random.generator.next_unit() >= random.rate {
            return None;
        }
        let choices: u64 = if is_create { 4 } else { 3 };
        let (status, retry_after) = match random.generator.next() % choices {
            0 => (500, None),
            1 => (503, None),
            2 => (429, Some(DEFAULT_RETRY_AFTER.to_owned())),
            _ => return Some(Injection::DropAfterRun),
        };
        Some(Injection::Status {
            kind: "randomFailures",
            status,
            retry_after,
        })
    }
}

fn countdown<T>(remaining: u32, detail: T) -> Option<Countdown<T>> {
    (remaining > 0).then_some(Countdown { remaining, detail })
}

/// The detail of a countdown that still has requests to spoil, spending one.
fn tick<T: Clone>(slot: &mut Option<Countdown<T>>) -> Option<T> {
    let countdown = slot.as_mut()?;
    countdown.remaining -= 1;
    let detail = countdown.detail.clone();
    if countdown.remaining == 0 {
        *slot = None;
    }
    Some(detail)
}

/// xorshift64, seeded through splitmix64 so small seeds start well mixed.
#[derive(Clone, Debug)]
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Self((z ^ (z >> 31)).max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in `[0, 1)`.
    fn next_unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The faults a `POST /__emulator/faults` body asks for; `data_center` allows `captcha`.
pub fn parse_faults(body: &Value, data_center: bool) -> Result<Vec<Fault>, FaultError> {
    let request: FaultRequest = serde_json::from_value(body.clone())
        .map_err(|error| FaultError::BadJson(error.to_string()))?;
    let faults = request.into_faults();
    for fault in &faults {
        check(fault, data_center)?;
    }
    Ok(faults)
}

/// Refuses a fault that makes no sense.
pub fn check(fault: &Fault, data_center: bool) -> Result<(), FaultError> {
    match fault {
        Fault::RateLimit { status, .. } if !(400..=599).contains(status) => {
            Err(FaultError::BadStatus(*status))
        }
        Fault::RandomFailures { rate, .. } if !(0.0..=1.0).contains(rate) => {
            Err(FaultError::BadRate(*rate))
        }
        Fault::Captcha { on: true } if !data_center => Err(FaultError::CaptchaOnCloud),
        _ => Ok(()),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultRequest {
    rate_limit: Option<RateLimitJson>,
    unavailable: Option<UnavailableJson>,
    drop_after_create: Option<CountJson>,
    concurrent_edit: Option<CountJson>,
    captcha: Option<bool>,
    html_login: Option<bool>,
    random_failures: Option<RandomJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RateLimitJson {
    #[serde(default = "one")]
    remaining: u32,
    retry_after: Option<RetryAfterJson>,
    #[serde(default = "too_many_requests")]
    status: u16,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UnavailableJson {
    #[serde(default = "one")]
    remaining: u32,
    retry_after: Option<RetryAfterJson>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RetryAfterJson {
    Seconds(u64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CountJson {
    Switch(bool),
    Times {
        #[serde(default = "one")]
        remaining: u32,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RandomJson {
    rate: f64,
    #[serde(default)]
    seed: u64,
}

fn one() -> u32 {
    1
}

fn too_many_requests() -> u16 {
    429
}

impl RetryAfterJson {
    fn text(self) -> String {
        match self {
            Self::Seconds(seconds) => seconds.to_string(),
            Self::Text(text) => text,
        }
    }
}

impl CountJson {
    fn remaining(self) -> u32 {
        match self {
            Self::Switch(on) => u32::from(on),
            Self::Times { remaining } => remaining,
        }
    }
}

impl FaultRequest {
    fn into_faults(self) -> Vec<Fault> {
        let rate_limit = self.rate_limit.map(|limit| Fault::RateLimit {
            remaining: limit.remaining,
            retry_after: limit
                .retry_after
                .map_or_else(|| DEFAULT_RETRY_AFTER.to_owned(), RetryAfterJson::text),
            status: limit.status,
        });
        let unavailable = self.unavailable.map(|unavailable| Fault::Unavailable {
            remaining: unavailable.remaining,
            retry_after: unavailable.retry_after.map(RetryAfterJson::text),
        });
        let drop_after_create = self.drop_after_create.map(|count| Fault::DropAfterCreate {
            remaining: count.remaining(),
        });
        let concurrent_edit = self.concurrent_edit.map(|count| Fault::ConcurrentEdit {
            remaining: count.remaining(),
        });
        let captcha = self.captcha.map(|on| Fault::Captcha { on });
        let html_login = self.html_login.map(|on| Fault::HtmlLogin { on });
        let random = self.random_failures.map(|random| Fault::RandomFailures {
            rate: random.rate,
            seed: random.seed,
        });
        [
            rate_limit,
            unavailable,
            drop_after_create,
            concurrent_edit,
            captcha,
            html_login,
            random,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(body: Value) -> FaultState {
        let mut state = FaultState::default();
        for fault in parse_faults(&body, true).expect("the body should parse") {
            state.set(fault);
        }
        state
    }

    #[test]
    fn counted_faults_run_out() {
        let mut faults = state(json!({"rateLimit": {"remaining": 2, "retryAfter": 3}}));
        let limited = Some(Injection::Status {
            kind: "rateLimit",
            status: 429,
            retry_after: Some("3".into()),
        });
        assert_eq!(faults.before_request(false), limited);
        assert_eq!(faults.before_request(false), limited);
        assert_eq!(faults.before_request(false), None);
        assert_eq!(faults.fired()["rateLimit"], 2);
        assert_eq!(faults.active(), json!({}));
    }

    #[test]
    fn switches_stay_until_cleared() {
        let mut faults = state(json!({"htmlLogin": true, "concurrentEdit": true}));
        assert_eq!(faults.before_request(false), Some(Injection::HtmlLogin));
        assert_eq!(faults.before_request(false), Some(Injection::HtmlLogin));
        assert!(faults.concurrent_edit());
        assert!(!faults.concurrent_edit());
        faults.clear();
        assert_eq!(faults.before_request(false), None);
        assert_eq!(faults.fired()["htmlLogin"], 2);
    }

    #[test]
    fn random_failures_repeat_for_a_seed() {
        let run = |seed: u64| {
            let mut faults = state(json!({"randomFailures": {"rate": 0.3, "seed": seed}}));
            (0..200)
                .map(|i| faults.before_request(i % 5 == 0))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
        let failures = run(42).iter().filter(|i| i.is_some()).count();
        assert!(
            (30..90).contains(&failures),
            "about 30% should fail: {failures}"
        );
    }

    #[test]
    fn refuses_what_makes_no_sense() {
        let bad = |body: Value, data_center| parse_faults(&body, data_center).unwrap_err();
        assert_eq!(
            bad(json!({"randomFailures": {"rate": 2}}), true),
            FaultError::BadRate(2.0)
        );
        assert_eq!(
            bad(json!({"rateLimit": {"status": 200}}), true),
            FaultError::BadStatus(200)
        );
        assert_eq!(
            bad(json!({"captcha": true}), false),
            FaultError::CaptchaOnCloud
        );
        assert!(matches!(
            bad(json!({"rateLimits": {}}), true),
            FaultError::BadJson(_)
        ));
    }
}

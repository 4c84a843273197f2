//! Retrying busy and failed answers, around any flow.
//!
//! [`Retrying`] sits between a front end and a flow. When Confluence answers 429 or 503 (any
//! request), or 500, 502, 504 or nothing at all (status 0, which front ends report for a lost
//! connection) to a `GET`, it sends the same request again after a delay, instead of handing
//! the failure to the flow. The delay honours `Retry-After` (seconds, or an HTTP date measured
//! against the answer's own `Date`, so no clock is needed); without it the delay grows
//! exponentially with full jitter from a seeded generator (the caller passes the seed: the
//! core reads no clock and no randomness). Tries per request and the total wait are bounded;
//! past them the failure goes to the flow, which reports it.
//!
//! A `POST` or `PUT` that failed with a server error or a lost connection is never replayed
//! here: it may have taken effect. The flow decides (the publish looks the page up first).

use std::time::SystemTime;

use crate::error::Error;
use crate::flow::{Flow, Step};
use crate::http::{HttpRequest, HttpResponse, Method};

/// Bounds on retrying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Sends of one request, the first included. Default 6.
    pub max_tries: u32,
    /// Sends of one request that got no answer at all (status 0), the first included: a
    /// server that refuses connections is reported quickly. Default 3.
    pub max_tries_without_answer: u32,
    /// The longest total wait over the whole flow, in milliseconds. Default 120 000.
    pub max_total_wait_ms: u64,
    /// The first backoff step, in milliseconds. Default 1 000.
    pub base_delay_ms: u64,
    /// The longest single wait, in milliseconds. Default 60 000.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_tries: 6,
            max_tries_without_answer: 3,
            max_total_wait_ms: 120_000,
            base_delay_ms: 1_000,
            max_delay_ms: 60_000,
        }
    }
}

/// A flow whose busy or failed `GET`s are retried.
#[derive(Debug)]
pub struct Retrying<F> {
    inner: F,
    policy: RetryPolicy,
    random: u64,
    last: Option<HttpRequest>,
    tries: u32,
    waited_ms: u64,
    retries: usize,
}

impl<F: Flow> Retrying<F> {
    /// Wrap `inner`; `seed` feeds the jitter (any value; 0 is replaced).
    pub fn new(inner: F, policy: RetryPolicy, seed: u64) -> Self {
        let random = if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        };
        Self {
            inner,
            policy,
            random,
            last: None,
            tries: 0,
            waited_ms: 0,
            retries: 0,
        }
    }

    pub fn inner(&self) -> &F {
        &self.inner
    }

    pub fn inner_mut(&mut self) -> &mut F {
        &mut self.inner
    }

    /// Requests sent again so far.
    pub fn retries(&self) -> usize {
        self.retries
    }

    /// Milliseconds waited so far.
    pub fn waited_ms(&self) -> u64 {
        self.waited_ms
    }

    fn remember(&mut self, step: Step<F::Outcome>) -> Step<F::Outcome> {
        match &step {
            Step::Send(request) => {
                self.last = Some(request.clone());
                self.tries = 1;
            }
            Step::Done(_) => self.last = None,
        }
        step
    }

    /// The wait before sending the last request again, if it should be.
    fn retry_delay(&mut self, response: &HttpResponse) -> Option<u64> {
        let request = self.last.as_ref()?;
        let idempotent = request.method == Method::Get;
        let retryable = match response.status {
            429 | 503 => true,
            0 | 500 | 502 | 504 => idempotent,
            _ => false,
        };
        let max_tries = match response.status {
            0 => self.policy.max_tries_without_answer,
            _ => self.policy.max_tries,
        };
        if !retryable || self.tries >= max_tries {
            return None;
        }
        let delay = match retry_after_ms(response) {
            Some(asked) => asked,
            None => self.backoff_ms(),
        };
        let within = delay <= self.policy.max_delay_ms
            && self.waited_ms + delay <= self.policy.max_total_wait_ms;
        within.then_some(delay)
    }

    /// Exponential backoff with full jitter: a random wait up to base × 2^(tries − 1).
    fn backoff_ms(&mut self) -> u64 {
        let ceiling = self
            .policy
            .base_delay_ms
            .saturating_mul(1 << (self.tries - 1).min(16));
        let ceiling = ceiling.min(self.policy.max_delay_ms).max(1);
        self.next_random() % ceiling + 1
    }

    /// xorshift64: plenty for jitter.
    fn next_random(&mut self) -> u64 {
        self.random ^= self.random << 13;
        self.random ^= self.random >> 7;
        self.random ^= self.random << 17;
        self.random
    }
}

impl<F: Flow> Flow for Retrying<F> {
    type Outcome = F::Outcome;

    fn start(&mut self) -> Result<Step<F::Outcome>, Error> {
        let step = self.inner.start()?;
        Ok(self.remember(step))
    }

    fn resume(&mut self, response: &HttpResponse) -> Result<Step<F::Outcome>, Error> {
        if let Some(delay) = self.retry_delay(response) {
            let mut again = self
                .last
                .clone()
                .expect("a delay is only found for a request sent");
            again.delay_ms = delay;
            again.retry_message = Some(retry_message(response.status, delay));
            self.tries += 1;
            self.waited_ms += delay;
            self.retries += 1;
            return Ok(Step::Send(again));
        }
        let step = self.inner.resume(response)?;
        Ok(self.remember(step))
    }
}

/// `Retry-After` in milliseconds: a number of seconds, or an HTTP date less the answer's
/// `Date` (a date without a `Date` to measure from is taken as one second).
fn retry_after_ms(response: &HttpResponse) -> Option<u64> {
    let value = response.header("retry-after")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds.saturating_mul(1000));
    }
    let until = httpdate::parse_http_date(value).ok()?;
    let now = response
        .header("date")
        .and_then(|date| httpdate::parse_http_date(date).ok());
    let millis = |from: SystemTime| {
        until
            .duration_since(from)
            .map_or(0, |d| d.as_millis() as u64)
    };
    Some(now.map_or(1_000, millis))
}

/// What the user is told while a request waits to be sent again after `status`.
fn retry_message(status: u16, delay_ms: u64) -> String {
    let seconds = delay_ms.div_ceil(1000).max(1);
    let why = match status {
        0 => "Confluence did not answer".to_owned(),
        429 | 503 => "Confluence is busy".to_owned(),
        status => format!("Confluence failed ({status})"),
    };
    format!("{why}; trying again in {seconds} s.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Step;
    use std::collections::BTreeMap;

    /// A flow that sends one request and is done with whatever answer comes.
    #[derive(Debug)]
    struct OneRequest(Method);

    impl Flow for OneRequest {
        type Outcome = u16;

        fn start(&mut self) -> Result<Step<u16>, Error> {
            let request = HttpRequest {
                method: self.0,
                url: "https://c.example.com/rest/api/space/DOCS".to_owned(),
                headers: BTreeMap::new(),
                body: None,
                delay_ms: 0,
                retry_message: None,
            };
            Ok(Step::Send(request))
        }

        fn resume(&mut self, response: &HttpResponse) -> Result<Step<u16>, Error> {
            Ok(Step::Done(response.status))
        }
    }

    fn answer(status: u16, headers: &[(&str, &str)]) -> HttpResponse {
        let mut response = HttpResponse::new(status, "");
        for (name, value) in headers {
            response
                .headers
                .insert((*name).to_owned(), (*value).to_owned());
        }
        response
    }

    fn delay(step: Step<u16>) -> u64 {
        match step {
            Step::Send(request) => request.delay_ms,
            Step::Done(status) => panic!("should retry, but ended with {status}"),
        }
    }

    #[test]
    fn each_retry_says_why_it_waits() {
        let message = |status: u16, headers: &[(&str, &str)]| {
            let mut flow = Retrying::new(OneRequest(Method::Get), RetryPolicy::default(), 7);
            flow.start().unwrap();
            match flow.resume(&answer(status, headers)).unwrap() {
                Step::Send(request) => request.retry_message.unwrap(),
                Step::Done(status) => panic!("should retry, but ended with {status}"),
            }
        };
        let busy = message(429, &[("Retry-After", "3")]);
        assert_eq!(busy, "Confluence is busy; trying again in 3 s.");
        assert!(message(0, &[]).starts_with("Confluence did not answer; trying again in "));
        assert!(message(502, &[]).starts_with("Confluence failed (502); trying again in "));
    }

    #[test]
    fn retry_after_seconds_and_dates_are_honoured() {
        let mut flow = Retrying::new(OneRequest(Method::Get), RetryPolicy::default(), 7);
        flow.start().unwrap();
        assert_eq!(
            delay(flow.resume(&answer(429, &[("Retry-After", "3")])).unwrap()),
            3_000
        );
        let dated = answer(
            503,
            &[
                ("Retry-After", "Wed, 21 Oct 2015 07:28:05 GMT"),
                ("Date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ],
        );
        assert_eq!(delay(flow.resume(&dated).unwrap()), 5_000);
        assert_eq!(flow.resume(&answer(200, &[])).unwrap(), Step::Done(200));
        assert_eq!((flow.retries(), flow.waited_ms()), (2, 8_000));
    }

    #[test]
    fn backoff_grows_with_jitter_and_stops_after_max_tries() {
        let mut flow = Retrying::new(OneRequest(Method::Get), RetryPolicy::default(), 42);
        flow.start().unwrap();
        for try_number in 1..6 {
            let wait = delay(flow.resume(&answer(502, &[])).unwrap());
            let ceiling = 1_000 << (try_number - 1);
            assert!((1..=ceiling).contains(&wait), "try {try_number}: {wait}");
        }
        assert_eq!(flow.resume(&answer(502, &[])).unwrap(), Step::Done(502));
    }

    #[test]
    fn a_failed_post_is_not_replayed_but_a_busy_one_is() {
        let mut flow = Retrying::new(OneRequest(Method::Post), RetryPolicy::default(), 1);
        flow.start().unwrap();
        assert_eq!(flow.resume(&answer(500, &[])).unwrap(), Step::Done(500));
        let mut flow = Retrying::new(OneRequest(Method::Post), RetryPolicy::default(), 1);
        flow.start().unwrap();
        assert_eq!(flow.resume(&answer(0, &[])).unwrap(), Step::Done(0));
        let mut flow = Retrying::new(OneRequest(Method::Post), RetryPolicy::default(), 1);
        flow.start().unwrap();
        assert_eq!(
            delay(flow.resume(&answer(429, &[("Retry-After", "1")])).unwrap()),
            1_000
        );
    }

    #[test]
    fn a_wait_beyond_the_budget_gives_up() {
        let mut flow = Retrying::new(OneRequest(Method::Get), RetryPolicy::default(), 1);
        flow.start().unwrap();
        let long = answer(429, &[("Retry-After", "3600")]);
        assert_eq!(flow.resume(&long).unwrap(), Step::Done(429));
    }
}

//! `confluence-publish` against the emulator: both kinds of Confluence, both authentication
//! methods, create then update, and every corpus note accepted by a strict server.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use confluence_emulator::{Emulator, EmulatorConfig, Flavor, RunningEmulator};

const NOTE: &str = "Getting started/Create a vault.md";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/obsidian-help-en")
}

fn emulator(flavor: Flavor, anonymous_access: bool) -> RunningEmulator {
    let mut config = EmulatorConfig::new(flavor);
    config.anonymous_access = anonymous_access;
    Emulator::start(config).expect("the emulator starts")
}

/// A copy of a corpus note in a fresh folder, so the test can let the CLI write to it.
fn copy_of(relative: &str, folder: &Path) -> PathBuf {
    let file_name = relative.replace('/', " - ");
    let target = folder.join(file_name);
    std::fs::copy(corpus().join(relative), &target).expect("the corpus note copies");
    target
}

fn append(note: &Path, text: &str) {
    let mut markdown = std::fs::read_to_string(note).unwrap();
    markdown.push_str(text);
    std::fs::write(note, markdown).unwrap();
}

/// Run the CLI with only the given `CONFLUENCE_*` variables set.
fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_confluence-publish"));
    command.args(args);
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("CONFLUENCE_")) {
        command.env_remove(name);
    }
    command
        .envs(env.iter().copied())
        .output()
        .expect("the CLI runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Settings for the emulator's Cloud flavour, with Ada's email and API token.
fn cloud_env(emulator: &RunningEmulator) -> [(&'static str, &str); 5] {
    [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_USERNAME", "ada@example.com"),
        ("CONFLUENCE_API_TOKEN", "api-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
        ("CONFLUENCE_DEPLOYMENT", "cloud"),
    ]
}

fn auth_schemes(emulator: &RunningEmulator) -> Vec<String> {
    let requests = emulator.requests();
    for request in &requests {
        assert_eq!(
            request.spec_violation, None,
            "{} {}",
            request.method, request.path
        );
    }
    requests
        .iter()
        .map(|r| r.auth_scheme.clone().unwrap_or_default())
        .collect()
}

#[test]
fn data_center_with_a_token_creates_then_updates_the_page() {
    let emulator = emulator(Flavor::DataCenter, false);
    let folder = tempfile::tempdir().unwrap();
    let note = copy_of(NOTE, folder.path());
    let note_arg = note.to_str().unwrap();
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];

    let first = cli(&["publish", note_arg], &env);
    assert!(first.status.success(), "{}", stderr(&first));
    let pages = emulator.pages();
    let page = pages
        .iter()
        .find(|p| p.title == "Getting started - Create a vault")
        .unwrap();
    assert_eq!(page.version, 1);
    let expected_url = format!(
        "{}/pages/viewpage.action?pageId={}",
        emulator.base_url(),
        page.id
    );
    assert_eq!(
        stdout(&first).trim(),
        format!(
            "Created \"Getting started - Create a vault\" (version 1): {expected_url} \
             (authenticated by personal access token)"
        )
    );
    let linked = std::fs::read_to_string(&note).unwrap();
    let frontmatter = format!(
        "---\naliases:\n  - Local vault\npermalink: vault\nconfluence-page-id: {}\n---\nA vault is",
        page.id
    );
    assert!(linked.starts_with(&frontmatter), "{linked}");

    let again = cli(&["publish", note_arg], &env);
    let unchanged = "Unchanged: \"Getting started - Create a vault\" (version 1)";
    assert!(stdout(&again).starts_with(unchanged), "{}", stdout(&again));

    append(&note, "\nA line written after the first publish.\n");
    let second = cli(&["publish", note_arg], &env);
    assert!(second.status.success(), "{}", stderr(&second));
    let updated = "Updated \"Getting started - Create a vault\" (version 2)";
    assert!(stdout(&second).starts_with(updated), "{}", stdout(&second));
    let pages = emulator.pages();
    assert_eq!(
        pages
            .iter()
            .filter(|p| p.id == page.id)
            .map(|p| p.version)
            .next(),
        Some(2)
    );
    assert!(auth_schemes(&emulator)
        .iter()
        .all(|scheme| scheme == "Bearer"));
}

#[test]
fn cloud_with_email_and_api_token_sends_basic() {
    let emulator = emulator(Flavor::Cloud, false);
    let folder = tempfile::tempdir().unwrap();
    let note = copy_of(NOTE, folder.path());
    let env = cloud_env(&emulator);
    for expected in ["Created", "Unchanged", "Updated"] {
        if expected == "Updated" {
            append(&note, "\nA line written after the first publish.\n");
        }
        let output = cli(&["publish", note.to_str().unwrap()], &env);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stdout(&output).starts_with(expected), "{}", stdout(&output));
    }
    let schemes = auth_schemes(&emulator);
    assert!(!schemes.is_empty() && schemes.iter().all(|scheme| scheme == "Basic"));
}

#[test]
fn a_token_wins_over_username_and_api_token() {
    let emulator = emulator(Flavor::DataCenter, false);
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_USERNAME", "ada"),
        ("CONFLUENCE_API_TOKEN", "wrong"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let output = cli(&["check"], &env);
    assert_eq!(
        stdout(&output).trim(),
        "Connected as Ada Lovelace to space Documentation (DOCS), authenticated by personal \
         access token."
    );
    assert_eq!(auth_schemes(&emulator), ["Bearer", "Bearer", "Bearer"]);
}

#[test]
fn a_wrong_token_answered_as_anonymous_fails_the_check() {
    let emulator = emulator(Flavor::DataCenter, true);
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-WRONG-4242"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let output = cli(&["check"], &env);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.starts_with("error: The personal access token was not accepted"),
        "{message}"
    );
    assert!(!message.contains("pat-WRONG-4242"), "{message}");
}

#[test]
fn a_missing_setting_is_named_and_nothing_is_sent() {
    let emulator = emulator(Flavor::DataCenter, false);
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let output = cli(&["check"], &env);
    assert_eq!(
        stderr(&output).trim(),
        "error: Atlassian username is empty: fill it in the plugin's settings."
    );
    assert!(emulator.requests().is_empty());
}

#[test]
fn the_emulator_accepts_every_corpus_note() {
    let emulator = emulator(Flavor::DataCenter, false);
    let folder = tempfile::tempdir().unwrap();
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let mut notes = Vec::new();
    collect_notes(&corpus(), &corpus(), &mut notes);
    assert_eq!(notes.len(), 173);
    let mut failures = Vec::new();
    for relative in &notes {
        let note = copy_of(relative, folder.path());
        let output = cli(&["publish", note.to_str().unwrap()], &env);
        if !output.status.success() {
            failures.push(format!("{relative}: {}", stderr(&output)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        emulator.pages().len(),
        173 + 2,
        "173 notes plus the two seeded home pages"
    );
}

fn collect_notes(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_notes(root, &path, found);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            found.push(relative);
        }
    }
}

/// A copy of the whole corpus, where the CLI may write `confluence-page-id`.
fn corpus_copy(folder: &Path) -> PathBuf {
    let target = folder.join("vault");
    copy_tree(&corpus(), &target);
    target
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
            // The corpus is read-only; the copy must take confluence-page-id.
            let permissions = std::os::unix::fs::PermissionsExt::from_mode(0o644);
            std::fs::set_permissions(&target, permissions).unwrap();
        }
    }
}

fn publish_corpus_folder(flavor: Flavor) {
    let emulator = emulator(flavor, false);
    let folder = tempfile::tempdir().unwrap();
    let vault = corpus_copy(folder.path());
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_USERNAME", "ada@example.com"),
        ("CONFLUENCE_API_TOKEN", "api-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let env: Vec<(&str, &str)> = match flavor {
        Flavor::DataCenter => env
            .into_iter()
            .filter(|(k, _)| !k.contains("API") && !k.contains("USER"))
            .collect(),
        Flavor::Cloud => env
            .into_iter()
            .filter(|(k, _)| *k != "CONFLUENCE_PAT")
            .chain([("CONFLUENCE_DEPLOYMENT", "cloud")])
            .collect(),
    };
    let vault_arg = vault.to_str().unwrap();

    let first = cli(&["publish", vault_arg], &env);
    assert!(first.status.success(), "{}", stderr(&first));
    let summary = stdout(&first).lines().last().unwrap_or_default().to_owned();
    println!("{flavor:?} first publish: {summary}");
    assert!(
        summary.starts_with("Published 173 of 173 notes (173 created, 0 updated, 0 unchanged)"),
        "{summary}"
    );
    let pages = emulator.pages();
    let notes: Vec<_> = pages
        .iter()
        .filter(|p| p.title != "Documentation Home")
        .collect();
    let uploads: usize = notes.iter().map(|p| p.attachments.len()).sum();
    let versions: Vec<u64> = notes
        .iter()
        .flat_map(|p| p.attachments.iter().map(|a| a.version))
        .collect();
    assert!(
        versions.iter().all(|v| *v == 1),
        "every attachment uploaded once"
    );
    assert!(
        summary.contains(&format!("; {uploads} files uploaded;")),
        "{summary}"
    );
    assert!(emulator
        .requests()
        .iter()
        .all(|r| r.spec_violation.is_none()));
    let with_page_id = count_linked_notes(&vault);
    assert_eq!(with_page_id, 173, "every note has its confluence-page-id");

    let second = cli(&["publish", vault_arg], &env);
    let summary = stdout(&second)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    println!("{flavor:?} second publish: {summary}");
    assert!(
        summary.starts_with(
            "Published 173 of 173 notes (0 created, 0 updated, 173 unchanged); 0 files uploaded;"
        ),
        "{summary}"
    );
}

fn count_linked_notes(dir: &Path) -> usize {
    let mut notes = Vec::new();
    collect_notes(dir, dir, &mut notes);
    notes
        .iter()
        .filter(|relative| {
            let text = std::fs::read_to_string(dir.join(relative)).unwrap();
            text.contains("\nconfluence-page-id: ")
        })
        .count()
}

#[test]
fn the_whole_corpus_publishes_as_a_page_tree_on_data_center() {
    publish_corpus_folder(Flavor::DataCenter);
}

#[test]
fn the_whole_corpus_publishes_as_a_page_tree_on_cloud() {
    publish_corpus_folder(Flavor::Cloud);
}

#[test]
fn linked_notes_can_be_published_under_the_note() {
    let emulator = emulator(Flavor::DataCenter, false);
    let folder = tempfile::tempdir().unwrap();
    let vault = corpus_copy(folder.path());
    let note = vault.join(NOTE);
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let args = [
        "publish",
        note.to_str().unwrap(),
        "--vault",
        vault.to_str().unwrap(),
        "--publish-linked",
        "1",
    ];
    let output = cli(&args, &env);
    assert!(output.status.success(), "{}", stderr(&output));
    let pages = emulator.pages();
    let main = pages
        .iter()
        .find(|p| p.title == "Create a vault")
        .expect("the note's page");
    let children: Vec<&str> = pages
        .iter()
        .filter(|p| p.parent_id.as_deref() == Some(main.id.as_str()))
        .map(|p| p.title.as_str())
        .collect();
    // The note links to exactly these two notes, which get pages under it.
    for title in ["Create your first note", "How Obsidian stores data"] {
        let link = format!("<ri:page ri:content-title=\"{title}\"");
        assert!(
            main.body.contains(&link),
            "{title} should be a page link: {}",
            main.body
        );
        assert!(
            children.contains(&title),
            "{title} should be under the note: {children:?}"
        );
    }
    assert_eq!(
        pages.len(),
        2 + 1 + children.len(),
        "only the note and its linked notes"
    );
}

/// 200 notes against a server that limits its rate and fails one request in ten (seeded):
/// every note ends up as exactly one page with its own content.
#[test]
fn soak_two_hundred_notes_through_rate_limits_and_random_failures() {
    use confluence_emulator::Fault;

    let emulator = emulator(Flavor::DataCenter, false);
    emulator
        .inject(Fault::RateLimit {
            remaining: 5,
            retry_after: "1".to_owned(),
            status: 429,
        })
        .unwrap();
    emulator
        .inject(Fault::RandomFailures {
            rate: 0.1,
            seed: 42,
        })
        .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let vault = folder.path().join("soak");
    std::fs::create_dir_all(&vault).unwrap();
    for n in 0..200 {
        let text = format!(
            "---\ntags: [soak, batch-{}]\n---\n# Note {n}\n\nMarker soak-{n}-content. See \
             [[Soak note {}]].\n\n- item one\n- item two\n",
            n % 7,
            (n + 1) % 200
        );
        std::fs::write(vault.join(format!("Soak note {n}.md")), text).unwrap();
    }
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let mut runs = 0;
    let mut clean = false;
    while !clean && runs < 3 {
        runs += 1;
        let output = cli(&["publish", vault.to_str().unwrap()], &env);
        clean = output.status.success();
        let errors = stderr(&output);
        let busy = errors.matches("trying again").count();
        let summary = errors.lines().last().unwrap_or_default();
        println!("soak run {runs}: retried {busy} busy or failed answers; {summary}");
        for failure in errors
            .lines()
            .filter(|line| line.starts_with("error: Soak"))
        {
            println!("  {failure}");
        }
    }
    assert!(clean, "the notes should all be published within three runs");
    let stats = emulator.stats();
    println!(
        "soak: {} REST requests, faults {:?}, {} pages created",
        stats.rest_requests, stats.faults, stats.pages_created
    );
    let pages = emulator.pages();
    for n in 0..200 {
        let title = format!("Soak note {n}");
        let matching: Vec<_> = pages.iter().filter(|p| p.title == title).collect();
        assert_eq!(matching.len(), 1, "{title} should be exactly one page");
        assert!(matching[0]
            .body
            .contains(&format!("Marker soak-{n}-content.")));
        let next = format!("ri:content-title=\"Soak note {}\"", (n + 1) % 200);
        assert!(
            matching[0].body.contains(&next),
            "{title} should link to the next note"
        );
    }
    assert_eq!(stats.pages_created, 200, "no page was created twice");
}

/// Pages made during a folder publish that fails often are linked to their notes at once, so
/// the next run updates them. A create whose answer was lost, and whose look-up failed too, is
/// reported; `--link-existing` then takes that page over. No page is made twice.
#[test]
fn a_failing_folder_publish_links_every_page_it_made() {
    use confluence_emulator::Fault;

    let emulator = emulator(Flavor::Cloud, false);
    let folder = tempfile::tempdir().unwrap();
    let vault = folder.path().join("flaky");
    std::fs::create_dir_all(&vault).unwrap();
    for n in 0..6 {
        let text = format!("# Flaky {n}\n\nBody of note {n}.\n");
        std::fs::write(vault.join(format!("Flaky {n}.md")), text).unwrap();
    }
    let env = cloud_env(&emulator);
    let fault = Fault::RandomFailures { rate: 0.4, seed: 3 };
    emulator.inject(fault).unwrap();
    let first = cli(&["publish", vault.to_str().unwrap()], &env);
    let errors = stderr(&first);
    assert!(!first.status.success(), "some requests fail for good");
    let made: Vec<_> = emulator
        .pages()
        .into_iter()
        .filter(|p| p.title.starts_with("Flaky"))
        .collect();
    assert!(made.len() >= 3, "pages should have been made: {errors}");
    for page in &made {
        let note = std::fs::read_to_string(vault.join(format!("{}.md", page.title))).unwrap();
        let linked = note.contains(&format!("confluence-page-id: {}\n", page.id));
        let reported = errors.contains(&format!("error: {}.md: Could not reach", page.title));
        assert!(
            linked || reported,
            "{} should be linked:\n{note}\n{errors}",
            page.title
        );
    }

    emulator.clear_faults();
    let vault_arg = vault.to_str().unwrap();
    let second = cli(&["publish", "--link-existing", vault_arg], &env);
    assert!(second.status.success(), "{}", stderr(&second));
    let pages = emulator.pages();
    for n in 0..6 {
        let title = format!("Flaky {n}");
        assert_eq!(
            pages.iter().filter(|p| p.title == title).count(),
            1,
            "{title}"
        );
        let note = std::fs::read_to_string(vault.join(format!("{title}.md"))).unwrap();
        assert!(note.contains("confluence-page-id: "), "{title}: {note}");
    }
}

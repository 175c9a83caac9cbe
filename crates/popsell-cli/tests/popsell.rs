//! `popsell` as people and scripts run it: against the client's mock (what
//! reaches the wire, the output formats) and the reference server (every
//! room of an ambassador), exit codes, help, completions.

use std::process::{Command, Output};
use std::sync::Arc;

use popsell_client::mock::{MockPopsell, chatroom};

/// Runs `popsell` against `base_url` with the given credentials in the
/// environment (as documented), from a blocking thread.
async fn popsell(base_url: &str, token: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_popsell"));
    command.args(args).env("POPSELL_BASE_URL", base_url).env("POPSELL_TOKEN", token).env("POPSELL_BRAND", "1").env("RUST_BACKTRACE", "0");
    tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

async fn mock_of_seven() -> MockPopsell {
    let mock = MockPopsell::start().await;
    mock.chatrooms(7, [
        chatroom(1, 7),
        chatroom(2, 7).archived().message(5, "Bonjour, is it in stock?"),
        chatroom(3, 7).rated(5, "Great").one_to_many(),
        chatroom(4, 7).flagged(2).member(8),
    ])
    .await;
    mock
}

#[tokio::test]
async fn every_flag_reaches_the_query_with_the_api_spellings() {
    let mock = mock_of_seven().await;
    let args = [
        "chatrooms", "--ambassador", "7", "--archived", "false", "--commented", "not_commented", "--flag", "2", "--type", "0",
        "--before", "2030-01-01T00:00:00Z", "--sort", "last_action_date", "--page", "1", "--per-page", "50", "--output", "json",
    ];
    let output = popsell(&mock.base_url(), "s3cret", &args).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let requests = mock.requests().await;
    assert_eq!(requests.len(), 1);
    let query: Vec<(String, String)> = requests[0].url.query_pairs().into_owned().collect();
    for pair in [
        ("filter[archived]", "0"),
        ("filter[commented]", "not_commented"),
        ("filter[flag]", "2"),
        ("filter[type_chatroom]", "0"),
        ("filter[last_action_date_before]", "2030-01-01T00:00:00Z"),
        ("sort", "last_action_date"),
        ("page", "1"),
        ("per_page", "50"),
    ] {
        assert!(query.contains(&(pair.0.to_owned(), pair.1.to_owned())), "{pair:?} missing from {query:?}");
    }
    assert_eq!(requests[0].headers["authorization"], "Bearer s3cret");
    assert_eq!(requests[0].headers["x-popsell-brand"], "1");
    let page: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "room 4 is flagged 2, not commented, not archived, one to one");
    assert_eq!(page["data"][0]["id_chatroom"], 4);
}

#[tokio::test]
async fn outputs_for_people_and_for_pipes() {
    let mock = mock_of_seven().await;
    let table = popsell(&mock.base_url(), "t", &["chatrooms", "--ambassador", "7", "--output", "table"]).await;
    assert!(table.status.success(), "{}", stderr(&table));
    insta::assert_snapshot!("table", stdout(&table));

    let json = popsell(&mock.base_url(), "t", &["chatrooms", "--ambassador", "7", "--per-page", "2"]).await;
    assert!(json.status.success(), "{}", stderr(&json));
    insta::with_settings!({ filters => vec![(r"http://127\.0\.0\.1:\d+", "http://[mock]")] }, {
        insta::assert_snapshot!("json_page", stdout(&json));
    });

    let ndjson = popsell(&mock.base_url(), "t", &["chatrooms", "--ambassador", "7", "--all", "--per-page", "1", "--output", "ndjson"]).await;
    let ids: Vec<i64> = stdout(&ndjson).lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id_chatroom"].as_i64().unwrap()).collect();
    assert_eq!(ids, [2, 4, 3, 1], "every room once, most recent first (room 2's message is its last action)");

    let limited = popsell(&mock.base_url(), "t", &["chatrooms", "--ambassador", "7", "--all", "--limit", "2", "--per-page", "1", "--output", "ndjson"]).await;
    assert_eq!(stdout(&limited).lines().count(), 2);
    assert_eq!(mock.requests().await.len(), 1 + 1 + 4 + 2, "--limit stops fetching");
}

#[tokio::test]
async fn every_room_of_alice_once_from_the_reference_server() {
    let store = popsell_reference::store::SqliteStore::open(None).unwrap();
    popsell_reference::store::StoreWriter::seed(&store, popsell_reference::seed::generate(3_000, 42)).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = popsell_reference::app(Arc::new(store), openapi_server_runtime::request_url::PublicUrl::of_bind(address));
    tokio::spawn(async move { openapi_server_runtime::reexports::axum::serve(listener, app).await.unwrap() });
    let base = format!("http://{address}/api/v2");

    let all = popsell(&base, "demo-alice", &["chatrooms", "--ambassador", "1", "--all", "--output", "ndjson"]).await;
    assert!(all.status.success(), "{}", stderr(&all));
    let ids: Vec<i64> = stdout(&all).lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id_chatroom"].as_i64().unwrap()).collect();
    let unique: std::collections::BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "a room printed twice");
    let first = popsell(&base, "demo-alice", &["chatrooms", "--ambassador", "1", "--per-page", "1", "--output", "json"]).await;
    let total = serde_json::from_str::<serde_json::Value>(&stdout(&first)).unwrap()["total"].as_i64().unwrap();
    assert_eq!(ids.len() as i64, total);
    assert!(total > 15, "more than one page of the default size: {total}");

    let refused = popsell(&base, "no-such-token", &["chatrooms", "--ambassador", "1"]).await;
    assert_eq!(refused.status.code(), Some(4));
    assert!(stderr(&refused).starts_with("401 Unauthorized: check POPSELL_TOKEN"), "{}", stderr(&refused));
    assert!(!stderr(&refused).contains("no-such-token"), "the token is never printed");
}

#[tokio::test]
async fn mistakes_give_words_and_exit_codes() {
    let mock = mock_of_seven().await;
    let base = mock.base_url();
    let bound = popsell(&base, "t", &["chatrooms", "--ambassador", "7", "--per-page", "500"]).await;
    assert_eq!(bound.status.code(), Some(3), "{}", stderr(&bound));
    assert_eq!(stderr(&bound).trim(), "invalid parameter: per_page must be between 1 and 100, got 500 (nothing was sent)");
    assert!(mock.requests().await.is_empty(), "refused before any request");

    let usage = popsell(&base, "t", &["chatrooms"]).await;
    assert_eq!(usage.status.code(), Some(2));
    assert!(stderr(&usage).contains("--ambassador"), "{}", stderr(&usage));

    mock.fail(9, 422, r#"{"message":"The X-Popsell-Brand field must be at least 1.","errors":{"X-Popsell-Brand":["The X-Popsell-Brand field must be at least 1."]}}"#).await;
    let refused = popsell(&base, "t", &["chatrooms", "--ambassador", "9"]).await;
    assert_eq!(refused.status.code(), Some(5));
    assert!(stderr(&refused).contains("  X-Popsell-Brand: The X-Popsell-Brand field must be at least 1."), "{}", stderr(&refused));

    mock.fail(10, 403, "").await;
    assert_eq!(popsell(&base, "t", &["chatrooms", "--ambassador", "10"]).await.status.code(), Some(4));
    mock.fail(11, 502, "<html>Bad gateway</html>").await;
    assert_eq!(popsell(&base, "t", &["chatrooms", "--ambassador", "11"]).await.status.code(), Some(6));

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let nowhere = format!("http://127.0.0.1:{port}/api/v2");
    let unreachable = popsell(&nowhere, "t", &["chatrooms", "--ambassador", "7"]).await;
    assert_eq!(unreachable.status.code(), Some(7));
    assert!(stderr(&unreachable).starts_with(&format!("cannot reach {nowhere}")), "{}", stderr(&unreachable));
}

#[tokio::test]
async fn verbose_shows_the_request_line_and_never_the_token() {
    let mock = mock_of_seven().await;
    let output = popsell(&mock.base_url(), "s3cret-token", &["--verbose", "chatrooms", "--ambassador", "7", "--per-page", "2", "--output", "json"]).await;
    let err = stderr(&output);
    assert!(err.contains(&format!("--> GET {}/chat/ambassadors/7/chatrooms?per_page=2", mock.base_url())), "{err}");
    assert!(!err.contains("s3cret") && !stdout(&output).contains("s3cret"));
}

#[tokio::test]
async fn help_lists_every_filter_with_its_description_and_no_token() {
    let help = popsell("http://localhost/api/v2", "s3cret-token", &["chatrooms", "--help"]).await;
    let text = stdout(&help);
    for (flag, words) in [
        ("--archived", "pivot row"),
        ("--commented", "last rating carries a comment"),
        ("--flag", "Must be one of 1, 2"),
        ("--type", "one to many"),
        ("--before", "Must be an RFC 3339 date-time"),
        ("--sort", "default \"-last_action_date\""),
        ("--page", "default 1"),
        ("--per-page", "Must be an integer from 1 to 100; default 15"),
        ("--all", "Every page"),
        ("--output", "ndjson"),
    ] {
        assert!(text.contains(flag) && text.contains(words), "{flag}: {words:?} not in\n{text}");
    }
    assert!(!text.contains("s3cret"), "the token's value is never shown");
    let top = stdout(&popsell("http://localhost/api/v2", "t", &["--help"]).await);
    assert!(top.contains("Exit codes: 0 success"), "{top}");
}

#[tokio::test]
async fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = popsell("http://localhost/api/v2", "t", &["completions", shell]).await;
        assert!(output.status.success(), "{shell}");
        assert!(stdout(&output).contains("per-page"), "{shell}: {}", stdout(&output));
    }
}

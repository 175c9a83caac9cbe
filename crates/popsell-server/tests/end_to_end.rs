//! The generated client against the generated server over a real TCP
//! listener: the seed example crosses the wire and decodes, credentials
//! and filters arrive typed, and documented errors come back typed.

mod support;

use popsell_client::{Client, Error};
use popsell_types::{ChatroomSort, QueryBoolean};
use support::{SeedApi, app, seed_page};

async fn serve(api: SeedApi) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { support::axum_router::serve(listener, app(api)).await.unwrap() });
    format!("http://{address}/api/v2")
}

#[tokio::test]
async fn the_client_decodes_what_the_server_answers() {
    let api = SeedApi::default();
    let base = serve(api.clone()).await;
    let client = Client::builder(&base).bearer("demo-token").brand(7).build().unwrap();
    let page = client
        .get_ambassador_chatrooms()
        .ambassador(42)
        .filter_archived(false)
        .sort(ChatroomSort::LastActionDateAsc)
        .per_page(25)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page, seed_page());

    let received = api.received.lock().unwrap();
    let request = &received[0];
    assert_eq!(request.bearer_auth.as_str(), "demo-token");
    assert_eq!(request.headers.x_popsell_brand, 7);
    assert_eq!(request.query.filter_archived, Some(QueryBoolean(false)));
    assert_eq!(request.query.sort, ChatroomSort::LastActionDateAsc);
    assert_eq!(request.query.per_page, 25);
}

#[tokio::test]
async fn documented_errors_arrive_typed() {
    let base = serve(SeedApi::default()).await;

    let forbidden = Client::builder(&base).bearer("t").brand(403).build().unwrap();
    let Err(Error::ErrorResponse(body)) = forbidden.get_ambassador_chatrooms().ambassador(42).send().await else {
        panic!("expected a documented error");
    };
    assert_eq!(body.status(), 403);
    assert_eq!(body.message, "This action is unauthorized.");

    let anonymous = Client::builder(&base).brand(7).build().unwrap();
    let Err(Error::ErrorResponse(body)) = anonymous.get_ambassador_chatrooms().ambassador(42).send().await else {
        panic!("expected a documented error");
    };
    assert_eq!((body.status().as_u16(), body.message.as_str()), (401, "Unauthorized."));

    // A brand out of its bounds (the client checks query bounds, not the
    // brand it was built with): the server's 422, typed.
    let client = Client::builder(&base).bearer("t").brand(0).build().unwrap();
    let Err(Error::ErrorResponse(body)) = client.get_ambassador_chatrooms().ambassador(42).send().await else {
        panic!("expected a documented error");
    };
    assert_eq!(body.status(), 422);
    assert_eq!(body.errors["X-Popsell-Brand"], ["The X-Popsell-Brand field must be at least 1."]);
}

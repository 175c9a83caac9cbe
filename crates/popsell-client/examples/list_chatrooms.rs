//! Lists every chatroom of an ambassador (and of his guest accounts), page
//! after page, as a table.
//!
//! ```sh
//! # against a server
//! POPSELL_BASE_URL=https://domain.tld/api/v2 POPSELL_TOKEN=… POPSELL_BRAND=42 \
//!     cargo run -p popsell-client --features mock --example list_chatrooms -- 7 --archived false
//! # against the built-in mock (no server needed)
//! cargo run -p popsell-client --no-default-features --features mock --example list_chatrooms -- 42 --mock
//! ```

use clap::Parser;
use futures_util::TryStreamExt;
use popsell_client::types::{ChatroomSort, Chatroom};
use popsell_client::{ApiError, Client};

#[derive(Parser)]
struct Args {
    /// The ambassador whose chatrooms are listed.
    ambassador: i64,
    /// Only archived (true) or not archived (false) chatrooms.
    #[arg(long)]
    archived: Option<bool>,
    /// Oldest first instead of most recent first.
    #[arg(long)]
    oldest_first: bool,
    /// Page size.
    #[arg(long, default_value_t = 50)]
    per_page: u32,
    /// Serve 60 sample chatrooms from the mock instead of calling a server.
    #[arg(long)]
    mock: bool,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _mock;
    let client = if args.mock {
        let mock = popsell_client::mock::MockPopsell::start().await;
        mock.chatrooms(args.ambassador, (1..=60).map(|id| popsell_client::mock::chatroom(id, args.ambassador))).await;
        let client = mock.client();
        _mock = mock;
        client
    } else {
        let base = std::env::var("POPSELL_BASE_URL").unwrap_or_else(|_| "https://domain.tld/api/v2".into());
        let token = std::env::var("POPSELL_TOKEN").map_err(|_| "set POPSELL_TOKEN (or pass --mock)")?;
        let brand = std::env::var("POPSELL_BRAND").map_err(|_| "set POPSELL_BRAND")?.parse()?;
        Client::builder(base).bearer(token).brand(brand).build()?
    };

    let mut request = client
        .get_ambassador_chatrooms()
        .ambassador(args.ambassador)
        .per_page(args.per_page)
        .sort(if args.oldest_first { ChatroomSort::LastActionDateAsc } else { ChatroomSort::LastActionDateDesc });
    if let Some(archived) = args.archived {
        request = request.filter_archived(archived);
    }

    println!("{:>8}  {:<10}  {:<24}  {:<20}  text", "id", "type", "members", "last message");
    let mut rooms = std::pin::pin!(request.chatrooms());
    let mut count = 0;
    loop {
        match rooms.try_next().await {
            Ok(Some(room)) => {
                count += 1;
                println!("{}", row(&room));
            }
            Ok(None) => break,
            Err(ApiError::Unauthorized { .. }) => return Err("the token was refused (401)".into()),
            Err(ApiError::Validation { body, .. }) => return Err(format!("invalid request: {:?}", body.errors).into()),
            Err(other) => return Err(other.into()),
        }
    }
    println!("{count} chatrooms");
    Ok(())
}

fn row(room: &Chatroom) -> String {
    let members: Vec<&str> = room.ambassadors.iter().map(|a| a.username.as_str()).collect();
    let last = room.last_message_date.as_ref().map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "-".into());
    let text: String = room.last_message.as_ref().map(|m| m.content.chars().take(30).collect()).unwrap_or_default();
    format!("{:>8}  {:<10}  {:<24}  {:<20}  {}", room.id_chatroom, format!("{:?}", room.chatroom_type()), members.join(","), last, text)
}

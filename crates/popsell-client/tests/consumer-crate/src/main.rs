//! Lists every room of an ambassador with the client's stream, twice: in a
//! `while let` over `chatrooms()`, and from a stream returned by a function
//! that built (and dropped) its own client. Prints one line per room id,
//! then `total <n>` from the first page.
//!
//! `popsell-consumer BASE_URL TOKEN BRAND AMBASSADOR`

use futures_util::{Stream, TryStreamExt};
use popsell_client::{ApiError, BuildError, Client, types::Chatroom};

fn client(base_url: &str, token: &str, brand: i64) -> Result<Client, BuildError> {
    Client::builder(base_url).bearer(token).brand(brand).build()
}

/// A stream that outlives the client it came from.
fn rooms_of(base_url: &str, token: &str, brand: i64, ambassador: i64) -> Result<impl Stream<Item = Result<Chatroom, ApiError>>, BuildError> {
    let client = client(base_url, token, brand)?;
    Ok(client.get_ambassador_chatrooms().ambassador(ambassador).per_page(100).chatrooms())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, token, brand, ambassador] = args.as_slice() else {
        return Err("usage: popsell-consumer BASE_URL TOKEN BRAND AMBASSADOR".into());
    };
    let (brand, ambassador): (i64, i64) = (brand.parse()?, ambassador.parse()?);

    let client = client(base_url, token, brand)?;
    let first = client.get_ambassador_chatrooms().ambassador(ambassador).per_page(100).fetch().await?;
    let mut rooms = client.get_ambassador_chatrooms().ambassador(ambassador).per_page(100).chatrooms();
    let mut in_loop = Vec::new();
    while let Some(room) = rooms.try_next().await? {
        in_loop.push(room.id_chatroom);
    }
    let returned: Vec<i64> = rooms_of(base_url, token, brand, ambassador)?.map_ok(|room| room.id_chatroom).try_collect().await?;
    if returned != in_loop {
        return Err(format!("the returned stream listed {} rooms, the loop {}", returned.len(), in_loop.len()).into());
    }
    for id in &in_loop {
        println!("{id}");
    }
    println!("total {}", first.total);
    Ok(())
}

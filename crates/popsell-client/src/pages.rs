//! Typed calls and pagination on the generated request builder, so every
//! filter set on it (and `per_page`) applies to every page.

use std::pin::Pin;

use futures_util::stream::{self, Stream, TryStreamExt};
use popsell_types::{Chatroom, ChatroomPage};

use crate::error::ApiError;
use crate::generated::builder::GetAmbassadorChatrooms;

/// A stream of the request's pages or chatrooms: owns a clone of the
/// client, so it may outlive the client it was built from and be returned
/// from a function; `Unpin` and `Send`, so `while let Some(x) =
/// stream.try_next().await?` and `tokio::spawn` just work.
pub type Paged<T> = Pin<Box<dyn Stream<Item = Result<T, ApiError>> + Send + 'static>>;

impl GetAmbassadorChatrooms<'_> {
    /// Sends the request: the page, or a typed [`ApiError`] (the same call
    /// as [`send`](Self::send), the raw progenitor layer, with errors you
    /// can match).
    pub async fn fetch(self) -> Result<ChatroomPage, ApiError> {
        match self.send().await {
            Ok(page) => Ok(page.into_inner()),
            Err(error) => Err(ApiError::from_generated(error).await),
        }
    }

    /// Every page, from page 1 to `last_page`, fetched lazily as the stream
    /// is polled, each once. Stops after an error or an empty page. The
    /// builder's own `page` is replaced.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), popsell_client::ApiError> {
    /// use futures_util::TryStreamExt;
    /// use popsell_client::{Client, Paged, types::Chatroom};
    ///
    /// // The stream owns a clone of the client: it can be returned.
    /// fn rooms_of(ambassador: i64) -> Paged<Chatroom> {
    ///     let client = Client::builder("https://domain.tld/api/v2").bearer("token").brand(42).build().unwrap();
    ///     client.get_ambassador_chatrooms().ambassador(ambassador).per_page(100).chatrooms()
    /// }
    ///
    /// let mut rooms = rooms_of(7);
    /// while let Some(room) = rooms.try_next().await? {
    ///     println!("{} (last action {})", room.id_chatroom, room.last_action());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> Paged<ChatroomPage> {
        let request = self.into_owned();
        Box::pin(stream::try_unfold(Some(1u32), move |next| {
            let request = request.clone();
            async move {
                let Some(number) = next else { return Ok(None) };
                let page = request.page(number).fetch().await?;
                let more = page.current_page < page.last_page && !page.data.is_empty();
                Ok(Some((page, more.then(|| number + 1))))
            }
        }))
    }

    /// Every chatroom of every page, in order (see [`Self::pages`]).
    pub fn chatrooms(self) -> Paged<Chatroom> {
        Box::pin(self.pages().map_ok(|page| stream::iter(page.data.into_iter().map(Ok))).try_flatten())
    }
}

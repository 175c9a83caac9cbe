//! Typed calls and pagination on the generated request builder, so every
//! filter set on it (and `per_page`) applies to every page.

use futures_util::stream::{self, Stream, TryStreamExt};
use popsell_types::{Chatroom, ChatroomPage};

use crate::error::ApiError;
use crate::generated::builder::GetAmbassadorChatrooms;

impl<'a> GetAmbassadorChatrooms<'a> {
    /// Sends the request: the page, or a typed [`ApiError`].
    pub async fn fetch(self) -> Result<ChatroomPage, ApiError> {
        match self.send().await {
            Ok(page) => Ok(page.into_inner()),
            Err(error) => Err(ApiError::from_generated(error).await),
        }
    }

    /// Every page, from page 1 to `last_page`, fetched lazily as the stream
    /// is polled, each once. Stops after an error or an empty page. The
    /// builder's own `page` is replaced.
    pub fn pages(self) -> impl Stream<Item = Result<ChatroomPage, ApiError>> + 'a {
        stream::try_unfold(Some(1u32), move |next| {
            let request = self.clone();
            async move {
                let Some(number) = next else { return Ok(None) };
                let page = request.page(number).fetch().await?;
                let more = page.current_page < page.last_page && !page.data.is_empty();
                Ok(Some((page, more.then(|| number + 1))))
            }
        })
    }

    /// Every chatroom of every page, in order (see [`Self::pages`]).
    pub fn chatrooms(self) -> impl Stream<Item = Result<Chatroom, ApiError>> + 'a {
        self.pages().map_ok(|page| stream::iter(page.data.into_iter().map(Ok))).try_flatten()
    }
}

//! The client request for a store query, for the tests that go through HTTP.

use popsell_client::{ApiError, Client};
use popsell_reference::store::ChatroomQuery;
use popsell_types::ChatroomPage;

/// The client request for a store query (same filters).
pub async fn fetch(client: &Client, q: &ChatroomQuery) -> Result<ChatroomPage, ApiError> {
    let mut request = client.get_ambassador_chatrooms().ambassador(q.ambassador).sort(q.sort).page(q.page as u32).per_page(q.per_page as u32);
    if let Some(archived) = q.filter.archived {
        request = request.filter_archived(archived);
    }
    if let Some(commented) = q.filter.commented {
        request = request.filter_commented(commented);
    }
    if let Some(flag) = q.filter.flag {
        request = request.filter_flag(flag);
    }
    if let Some(kind) = q.filter.type_chatroom {
        request = request.filter_type_chatroom(kind);
    }
    if let Some(before) = q.filter.last_action_before {
        request = request.filter_last_action_date_before(before);
    }
    request.fetch().await
}

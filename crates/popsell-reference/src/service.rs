//! The operation's semantics on top of a [`Store`]: auth, brand scoping,
//! filters, sort and Laravel pagination. Knows no HTTP beyond the request
//! URL that page links repeat.

use std::sync::Arc;

use popsell_server::{Api, Credential, GetAmbassadorChatroomsRequest, GetAmbassadorChatroomsResponse as Response};
use popsell_types::{ChatroomPage, ErrorBody, PageRequest};

use openapi_server_runtime::request_url::RequestUrl;

use crate::store::{Access, ChatroomQuery, Store, StoreError};

/// The service: the generated `Api` implemented on a store.
pub struct Service<S> {
    store: Arc<S>,
}

impl<S> Service<S> {
    pub fn new(store: Arc<S>) -> Self {
        Service { store }
    }
}

fn body(message: &str) -> ErrorBody {
    ErrorBody::builder().message(message).build()
}

impl<S: Store> Service<S> {
    /// The page, or the access refused; a storage failure is an `Err`.
    async fn answer(&self, request: GetAmbassadorChatroomsRequest, url: &RequestUrl) -> Result<Response, StoreError> {
        let GetAmbassadorChatroomsRequest { bearer_auth: bearer, path, query, headers } = request;
        let brand = headers.x_popsell_brand;
        match self.store.access(bearer.as_str(), brand, path.ambassador).await? {
            Access::UnknownToken => return Ok(Response::Unauthorized(body("Unauthorized."))),
            Access::Forbidden => return Ok(Response::Forbidden(body("This action is unauthorized."))),
            Access::Granted => {}
        }
        let chatroom_query = ChatroomQuery {
            brand,
            ambassador: path.ambassador,
            filter: query.filter(),
            sort: query.sort,
            page: query.page.into(),
            per_page: query.per_page.into(),
        };
        let (rooms, total) = self.store.chatrooms(&chatroom_query).await?;
        let page_request = PageRequest { path: &url.path, query: &url.query, page: chatroom_query.page, per_page: chatroom_query.per_page };
        Ok(Response::Ok(ChatroomPage::laravel(rooms, total, &page_request)))
    }
}

impl<S: Store> Api for Service<S> {
    async fn authenticate(&self, credential: &Credential) -> bool {
        let Credential::BearerAuth(token) = credential;
        // A storage failure surfaces on the operation itself (500), not as a 401.
        self.store.authenticate(token.as_str()).await.unwrap_or(true)
    }

    async fn get_ambassador_chatrooms(&self, request: GetAmbassadorChatroomsRequest) -> Response {
        let url = RequestUrl::current();
        match self.answer(request, &url).await {
            Ok(response) => response,
            Err(StoreError::OverBudget) => {
                tracing::warn!("a chatrooms query ran over its time budget: answered 503");
                Response::ServiceUnavailable { body: body("Service Unavailable"), retry_after: Some(1) }
            }
            Err(error) => {
                tracing::error!(%error, "chatrooms query failed");
                Response::InternalServerError(body("Server Error"))
            }
        }
    }
}

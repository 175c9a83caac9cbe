//! The operation's semantics on top of a [`Store`]: auth, brand scoping,
//! filters, sort and Laravel pagination. Knows no HTTP beyond the request
//! URL that page links repeat.

use std::sync::Arc;

use popsell_server::{Api, Credential, GetAmbassadorChatroomsRequest, GetAmbassadorChatroomsResponse as Response};
use popsell_types::{ChatroomPage, ErrorBody, PageRequest};

use openapi_server_runtime::request_url::RequestUrl;
use crate::store::{Access, ChatroomQuery, Store};

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

impl<S: Store> Api for Service<S> {
    async fn authenticate(&self, credential: &Credential) -> bool {
        let Credential::BearerAuth(token) = credential;
        // A storage failure surfaces on the operation itself (500), not as a 401.
        self.store.authenticate(token.as_str()).unwrap_or(true)
    }

    async fn get_ambassador_chatrooms(&self, request: GetAmbassadorChatroomsRequest) -> Response {
        let url = RequestUrl::current();
        let store = self.store.clone();
        let work = move || {
            let GetAmbassadorChatroomsRequest { bearer_auth: bearer, path, query, headers } = request;
            let brand = headers.x_popsell_brand;
            match store.access(bearer.as_str(), brand, path.ambassador)? {
                Access::UnknownToken => return Ok(Response::Unauthorized(body("Unauthorized."))),
                Access::Forbidden => return Ok(Response::Forbidden(body("This action is unauthorized."))),
                Access::Granted => {}
            }
            let chatroom_query = ChatroomQuery {
                brand,
                ambassador: path.ambassador,
                archived: query.filter_archived.map(bool::from),
                commented: query.filter_commented,
                flag: query.filter_flag.map(i32::from),
                type_chatroom: query.filter_type_chatroom,
                last_action_before: query.filter_last_action_date_before,
                sort: query.sort,
                page: query.page.into(),
                per_page: query.per_page.into(),
            };
            let (rooms, total) = store.chatrooms(&chatroom_query)?;
            let page_request =
                PageRequest { path: &url.path, query: &url.query, page: chatroom_query.page, per_page: chatroom_query.per_page };
            Ok(Response::Ok(ChatroomPage::laravel(rooms, total, &page_request)))
        };
        let outcome = tokio::task::spawn_blocking(work).await;
        match outcome {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => {
                let error: crate::store::StoreError = error;
                tracing::error!(%error, "chatrooms query failed");
                Response::InternalServerError(body("Server Error"))
            }
            Err(join) => {
                tracing::error!(error = %join, "chatrooms task failed");
                Response::InternalServerError(body("Server Error"))
            }
        }
    }
}

//! A minimal implementation of the generated `Api`: it answers the spec's
//! seed example, 403 for brand 403, and remembers the inputs it received.

use std::sync::{Arc, Mutex};

use popsell_server::{Api, BASE_PATH, Credential, GetAmbassadorChatroomsRequest, GetAmbassadorChatroomsResponse, router};
use popsell_types::{ChatroomPage, ErrorBody};

#[derive(Clone, Default)]
pub struct SeedApi {
    pub received: Arc<Mutex<Vec<GetAmbassadorChatroomsRequest>>>,
}

/// The 200 example `seed` of openapi.yaml.
pub fn seed_page() -> ChatroomPage {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    let spec: serde_json::Value = spec_json(&text);
    let example = spec
        .pointer("/paths/~1chat~1ambassadors~1{ambassador}~1chatrooms/get/responses/200/content/application~1json/examples/seed/value")
        .unwrap()
        .clone();
    serde_json::from_value(example).unwrap()
}

fn spec_json(text: &str) -> serde_json::Value {
    openapi_spec::Spec::parse("openapi.yaml", text).unwrap().document.json
}

/// The token [`SeedApi::authenticate`] refuses.
pub const REVOKED: &str = "revoked";

impl Api for SeedApi {
    async fn authenticate(&self, credential: &Credential) -> bool {
        let Credential::BearerAuth(token) = credential;
        token.as_str() != REVOKED
    }

    async fn get_ambassador_chatrooms(&self, request: GetAmbassadorChatroomsRequest) -> GetAmbassadorChatroomsResponse {
        let brand = request.headers.x_popsell_brand;
        self.received.lock().unwrap().push(request);
        if brand == 403 {
            return GetAmbassadorChatroomsResponse::Forbidden(ErrorBody::builder().message("This action is unauthorized.").build());
        }
        GetAmbassadorChatroomsResponse::Ok(seed_page())
    }
}

/// The router nested under the spec's base path, as a service mounts it.
pub fn app(api: SeedApi) -> axum_router::Router {
    axum_router::Router::new().nest(BASE_PATH, router(api))
}

pub use openapi_server_runtime::reexports::axum as axum_router;

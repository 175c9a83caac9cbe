//! The rule table: every kind of change the comparison reports, with its
//! verdict for clients built against the old document. Output and
//! documentation are derived from [`RULES`]; `rules.md` is its rendering,
//! checked by a test.
//!
//! The verdicts are those of a **strict generated client** at the wire
//! level: one that sends only what its spec allows and decodes responses
//! with closed enums, required fields and the spec's bounds. Requests and
//! responses are judged in opposite directions: a request schema may widen
//! (the server accepts more) but not narrow; a response schema may narrow
//! (the client receives less variety) but not widen.

use serde::Serialize;

/// What a change means for clients built against the old document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Some existing client may fail or misbehave.
    Breaking,
    /// A difference no rule knows: a person must judge it. Counts as
    /// breaking wherever a gate decides.
    Unclassified,
    /// Existing clients keep working.
    Compatible,
}

/// How much a change matters, as oasdiff and SARIF grade findings. A gate
/// fails on changes at or above a chosen level (`error` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing breaks; for the record (compatible changes).
    Info,
    /// Breaks clients that rely on more than the contract promises, or
    /// that decode strictly: an optional response field removed (a typed
    /// client loses it), a response enum value or a 2xx status added, a
    /// request default changed, a response bound widened.
    Warning,
    /// Breaks clients that follow the contract (and every change no rule
    /// knows, until a person judges it).
    Error,
}

impl Level {
    /// Every level, from the least to the most severe.
    pub const ALL: [Level; 3] = [Level::Info, Level::Warning, Level::Error];

    /// `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Level {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Level::ALL.into_iter().find(|level| level.as_str() == text).ok_or_else(|| format!("`{text}` is not a level (error, warning, info)"))
    }
}

/// Which side of the exchange a rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Parameters and request bodies: what clients send.
    Request,
    /// Responses: what clients receive.
    Response,
    /// Operations, security, servers, documentation: no direction.
    Both,
}

/// One kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable identifier, kebab-case (`operation-removed`).
    pub id: &'static str,
    /// Breaking, compatible, or unclassified, always.
    pub verdict: Verdict,
    /// How much it matters by default (a gate may set another per rule).
    pub level: Level,
    /// The side it judges.
    pub side: Side,
    /// The ids of oasdiff's checker that report the same change (its
    /// verdict may differ: see the description).
    pub oasdiff: &'static [&'static str],
    /// The rule and why it holds, in one or two sentences.
    pub description: &'static str,
}

impl Rule {
    /// Whether a gate must stop on it.
    pub fn fails_gate(&self) -> bool {
        self.verdict != Verdict::Compatible
    }
}

macro_rules! rules {
    ($($name:ident: $id:literal, $verdict:ident, $level:ident, $side:ident, [$($oasdiff:literal),*], $description:literal;)*) => {
        $(
            #[doc = $description]
            pub const $name: Rule = Rule {
                id: $id,
                verdict: Verdict::$verdict,
                level: Level::$level,
                side: Side::$side,
                oasdiff: &[$($oasdiff),*],
                description: $description,
            };
        )*
        /// Every rule, in the order of the documentation.
        pub static RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    // Operations.
    OPERATION_REMOVED: "operation-removed", Breaking, Error, Both, ["api-removed-without-deprecation", "api-path-removed-without-deprecation", "api-removed-with-deprecation"],
        "An operation was removed (deprecated or not): clients calling it get 404 or 405.";
    OPERATION_ADDED: "operation-added", Compatible, Info, Both, ["endpoint-added"],
        "An operation was added: existing clients do not call it.";
    OPERATION_ID_CHANGED: "operation-id-changed", Compatible, Info, Both, ["api-operation-id-removed", "api-operation-id-added"],
        "The operationId changed: the wire is the same, but generated clients rename the method (see the Rust API verdict).";
    PATH_PARAMETER_RENAMED: "path-parameter-renamed", Compatible, Info, Both, [],
        "A path parameter was renamed (`/items/{id}` to `/items/{item_id}`): the URLs are the same. Operations are matched by their path with parameter names left out, as oasdiff does.";
    DEPRECATED: "deprecated", Compatible, Info, Both, ["endpoint-deprecated", "request-parameter-deprecated", "request-property-deprecated", "response-property-deprecated"],
        "An operation, parameter, header or property was marked deprecated: it still works; listed so that clients plan the move.";
    UNDEPRECATED: "undeprecated", Compatible, Info, Both, ["endpoint-reactivated", "request-parameter-reactivated", "request-property-reactivated", "response-property-reactivated"],
        "A deprecation was withdrawn.";

    // Parameters (request side).
    PARAMETER_REMOVED: "parameter-removed", Breaking, Error, Request, ["request-parameter-removed"],
        "A parameter was removed (a rename is a removal and an addition): clients still send it and the server ignores or rejects it.";
    PARAMETER_ADDED_REQUIRED: "parameter-added-required", Breaking, Error, Request, ["new-required-request-parameter", "new-request-path-parameter", "new-required-request-default-parameter-to-existing-path"],
        "A required parameter was added: existing clients do not send it.";
    PARAMETER_ADDED_OPTIONAL: "parameter-added-optional", Compatible, Info, Request, ["new-optional-request-parameter", "new-optional-request-default-parameter-to-existing-path"],
        "An optional parameter was added: existing clients leave it out.";
    PARAMETER_MOVED: "parameter-moved", Breaking, Error, Request, [],
        "A parameter moved to another location (path, query, header, cookie): clients send it where it is no longer read. oasdiff reports a removal and an addition.";
    PARAMETER_BECAME_REQUIRED: "parameter-became-required", Breaking, Error, Request, ["request-parameter-became-required"],
        "An optional parameter became required: clients that leave it out are refused.";
    PARAMETER_BECAME_OPTIONAL: "parameter-became-optional", Compatible, Info, Request, ["request-parameter-became-optional"],
        "A required parameter became optional: clients send it anyway.";
    PARAMETER_STYLE_CHANGED: "parameter-style-changed", Breaking, Error, Request, [],
        "A parameter's serialization changed (`style`, `explode`, or `allowReserved` turned off): clients encode it the old way.";
    PARAMETER_ALLOWANCE_NARROWED: "parameter-allowance-narrowed", Breaking, Error, Request, [],
        "`allowEmptyValue` was turned off: clients that send an empty value are refused.";
    PARAMETER_ALLOWANCE_WIDENED: "parameter-allowance-widened", Compatible, Info, Request, [],
        "`allowEmptyValue` or `allowReserved` was turned on: what clients send stays valid.";

    // Request bodies.
    REQUEST_BODY_REMOVED: "request-body-removed", Breaking, Error, Request, ["request-body-removed"],
        "The request body was removed: clients still send one the server no longer reads.";
    REQUEST_BODY_ADDED_REQUIRED: "request-body-added-required", Breaking, Error, Request, ["request-body-added-required"],
        "A required request body was added: existing clients send none.";
    REQUEST_BODY_ADDED_OPTIONAL: "request-body-added-optional", Compatible, Info, Request, ["request-body-added-optional"],
        "An optional request body was added: existing clients send none, which stays valid.";
    REQUEST_BODY_BECAME_REQUIRED: "request-body-became-required", Breaking, Error, Request, ["request-body-became-required"],
        "The request body became required: clients that leave it out are refused.";
    REQUEST_BODY_BECAME_OPTIONAL: "request-body-became-optional", Compatible, Info, Request, ["request-body-became-optional"],
        "The request body became optional: clients send it anyway.";
    REQUEST_MEDIA_TYPE_REMOVED: "request-media-type-removed", Breaking, Error, Request, ["request-body-media-type-removed"],
        "A request media type was removed: clients sending it are refused (415).";
    REQUEST_MEDIA_TYPE_ADDED: "request-media-type-added", Compatible, Info, Request, ["request-body-media-type-added"],
        "A request media type was added: existing clients keep sending the old ones.";

    // Responses.
    RESPONSE_SUCCESS_STATUS_REMOVED: "response-success-status-removed", Breaking, Error, Response, ["response-success-status-removed"],
        "A 2xx response was removed (or replaced by another 2xx): clients expecting it get a status they do not handle.";
    RESPONSE_SUCCESS_STATUS_ADDED: "response-success-status-added", Breaking, Warning, Response, ["response-success-status-added"],
        "A 2xx response was added: the server may now answer it, and a strict client treats an undocumented success as an error. (oasdiff: INFO.)";
    RESPONSE_ERROR_STATUS_REMOVED: "response-error-status-removed", Compatible, Info, Response, ["response-non-success-status-removed"],
        "A non-2xx response (or `default`) was removed: clients simply never receive it.";
    RESPONSE_ERROR_STATUS_ADDED: "response-error-status-added", Compatible, Info, Response, ["response-non-success-status-added"],
        "A non-2xx response was added: existing clients treat it as any undocumented error, as before.";
    RESPONSE_MEDIA_TYPE_REMOVED: "response-media-type-removed", Breaking, Error, Response, ["response-media-type-removed", "response-body-media-type-schema-removed"],
        "A response media type was removed: clients that ask for or decode it no longer get it.";
    RESPONSE_MEDIA_TYPE_ADDED: "response-media-type-added", Compatible, Info, Response, ["response-media-type-added"],
        "A response media type was added: it is served to clients that ask for it.";
    MEDIA_TYPE_PARAMETERS_CHANGED: "media-type-parameters-changed", Compatible, Info, Both, ["response-media-type-name-changed"],
        "Only a media type's parameters changed (`application/json` to `application/json; charset=utf-8`): the same content is sent and accepted.";
    RESPONSE_HEADER_REMOVED_REQUIRED: "response-header-removed-required", Breaking, Error, Response, ["required-response-header-removed"],
        "A required response header was removed: clients that read it fail.";
    RESPONSE_HEADER_REMOVED_OPTIONAL: "response-header-removed-optional", Compatible, Info, Response, ["optional-response-header-removed"],
        "An optional response header was removed: clients already handle its absence. (oasdiff: WARN.)";
    RESPONSE_HEADER_ADDED: "response-header-added", Compatible, Info, Response, ["response-header-added"],
        "A response header was added: clients ignore headers they do not know.";
    RESPONSE_HEADER_BECAME_OPTIONAL: "response-header-became-optional", Breaking, Error, Response, ["response-header-became-optional"],
        "A required response header became optional: clients that expect it fail when it is absent.";
    RESPONSE_HEADER_BECAME_REQUIRED: "response-header-became-required", Compatible, Info, Response, [],
        "An optional response header became required: clients already accept it present.";
    RESPONSE_REQUIRED_PROPERTY_REMOVED: "response-required-property-removed", Breaking, Error, Response, ["response-required-property-removed", "response-required-property-became-write-only"],
        "A required response property was removed (or became write-only): clients that decode it fail.";
    RESPONSE_OPTIONAL_PROPERTY_REMOVED: "response-optional-property-removed", Breaking, Warning, Response, ["response-optional-property-removed", "response-optional-property-became-write-only"],
        "An optional response property was removed (or became write-only): the wire stays valid for tolerant clients, but a typed client loses the field (its callers' code stops compiling) and nothing tells a consumer the data is gone. (oasdiff: WARN.)";
    RESPONSE_PROPERTY_ADDED: "response-property-added", Compatible, Info, Response, ["response-optional-property-added", "response-required-property-added"],
        "A response property was added: clients ignore keys they do not know.";
    RESPONSE_PROPERTY_ADDED_TO_CLOSED_OBJECT: "response-property-added-to-closed-object", Breaking, Warning, Response, [],
        "A property was added to a response object that forbids unknown keys (`additionalProperties: false`): strict clients reject the new key.";
    RESPONSE_PROPERTY_BECAME_OPTIONAL: "response-property-became-optional", Breaking, Error, Response, ["response-property-became-optional"],
        "A required response property became optional: clients that expect it fail when it is absent.";
    RESPONSE_PROPERTY_BECAME_REQUIRED: "response-property-became-required", Compatible, Info, Response, ["response-property-became-required"],
        "An optional response property became required: clients already accept it present.";
    RESPONSE_NULLABLE_ADDED: "response-nullable-added", Breaking, Error, Response, ["response-body-became-nullable", "response-property-became-nullable", "response-header-became-nullable"],
        "A response value (body, property, item, header) may now be null: clients decoding a non-null value fail.";
    RESPONSE_NULLABLE_REMOVED: "response-nullable-removed", Compatible, Info, Response, ["response-body-became-not-nullable", "response-property-became-not-nullable", "response-header-became-not-nullable"],
        "A response value may no longer be null: clients already accept non-null values.";

    // Request properties.
    REQUEST_PROPERTY_REMOVED: "request-property-removed", Breaking, Warning, Request, ["request-property-removed", "request-optional-property-became-read-only", "request-required-property-became-read-only"],
        "A request body property was removed (or became read-only): clients still send it and the server ignores or rejects it. (oasdiff: WARN.)";
    REQUEST_PROPERTY_ADDED_REQUIRED: "request-property-added-required", Breaking, Error, Request, ["new-required-request-property", "new-required-request-property-with-default"],
        "A required request body property was added: existing clients do not send it (a default does not make the omission valid).";
    REQUEST_PROPERTY_ADDED_OPTIONAL: "request-property-added-optional", Compatible, Info, Request, ["new-optional-request-property"],
        "An optional request body property was added: existing clients leave it out.";
    REQUEST_PROPERTY_BECAME_REQUIRED: "request-property-became-required", Breaking, Error, Request, ["request-property-became-required", "request-property-became-required-with-default"],
        "An optional request body property became required: clients that leave it out are refused.";
    REQUEST_PROPERTY_BECAME_OPTIONAL: "request-property-became-optional", Compatible, Info, Request, ["request-property-became-optional"],
        "A required request body property became optional: clients send it anyway.";
    REQUEST_NULLABLE_REMOVED: "request-nullable-removed", Breaking, Error, Request, ["request-parameter-became-not-nullable", "request-body-became-not-nullable", "request-property-became-not-nullable"],
        "A request value (parameter, body, property, item) may no longer be null: clients may send null.";
    REQUEST_NULLABLE_ADDED: "request-nullable-added", Compatible, Info, Request, ["request-parameter-became-nullable", "request-body-became-nullable", "request-property-became-nullable"],
        "A request value may now be null: existing clients send non-null values, still valid.";
    REQUEST_DEFAULT_CHANGED: "request-default-changed", Breaking, Warning, Request, ["request-parameter-default-value-changed", "request-parameter-default-value-added", "request-parameter-default-value-removed", "request-property-default-value-changed"],
        "The default of an optional parameter or request body property was added, changed or removed: clients that leave it out silently get another behaviour. (oasdiff: ERR for parameters, INFO for properties.)";
    SCHEMA_DEFAULT_CHANGED: "schema-default-changed", Compatible, Info, Both, ["request-body-default-value-changed", "response-property-default-value-changed"],
        "The default of a response value, or of a required request value, was added, changed or removed: it only documents a fallback; what is sent and received stays valid.";

    // Enums.
    REQUEST_ENUM_VALUE_REMOVED: "request-enum-value-removed", Breaking, Error, Request, ["request-parameter-enum-value-removed", "request-property-enum-value-removed", "request-body-enum-value-removed", "request-parameter-became-enum", "request-property-became-enum"],
        "An enum value was removed from a request-side schema, or an enum now restricts it: clients may send that value.";
    REQUEST_ENUM_VALUE_ADDED: "request-enum-value-added", Compatible, Info, Request, ["request-parameter-enum-value-added", "request-property-enum-value-added"],
        "An enum value was added to a request-side schema, or its enum was lifted: existing clients never send the new value.";
    RESPONSE_ENUM_VALUE_REMOVED: "response-enum-value-removed", Compatible, Info, Response, ["response-property-enum-value-removed", "response-mediatype-enum-value-removed"],
        "An enum value was removed from a response schema, or an enum now restricts it: clients simply never receive that value.";
    RESPONSE_ENUM_VALUE_ADDED: "response-enum-value-added", Breaking, Warning, Response, ["response-property-enum-value-added"],
        "An enum value was added to a response schema, or its enum was lifted: clients with closed enums fail to decode the new value. (oasdiff: WARN.)";

    // Types and formats.
    TYPE_CHANGED: "type-changed", Breaking, Error, Both, ["request-parameter-type-changed", "request-body-type-changed", "request-property-type-changed", "response-body-type-changed", "response-property-type-changed", "response-header-type-changed"],
        "A schema's type changed to an unrelated one (string to integer, object to array, alternatives to none): values of the old type no longer match, in either direction. In parameters and headers, values travel as text: a scalar becoming a string is a widening there.";
    REQUEST_TYPE_WIDENED: "request-type-widened", Compatible, Info, Request, ["request-parameter-type-generalized", "request-body-type-generalized", "request-property-type-generalized"],
        "A request schema's type widened (integer to number, no type any more, a scalar parameter or header becoming a string, or `oneOf` becoming `anyOf`): what clients send stays valid.";
    REQUEST_TYPE_NARROWED: "request-type-narrowed", Breaking, Error, Request, ["request-parameter-property-type-specialized", "request-property-type-changed"],
        "A request schema's type narrowed (number to integer, a type where there was none, or a string parameter becoming a scalar): clients may send values of the old type.";
    RESPONSE_TYPE_WIDENED: "response-type-widened", Breaking, Error, Response, ["response-body-type-generalized", "response-property-type-generalized", "response-header-type-generalized"],
        "A response schema's type widened (integer to number, no type any more, or `oneOf` becoming `anyOf`): clients decoding the old type fail on the new values.";
    RESPONSE_TYPE_NARROWED: "response-type-narrowed", Compatible, Info, Response, ["response-body-type-specialized", "response-property-type-specialized", "response-header-type-specialized"],
        "A response schema's type narrowed (number to integer): clients already accept the narrower values.";
    FORMAT_CHANGED: "format-changed", Breaking, Error, Both, ["request-property-type-changed", "response-property-type-changed"],
        "A schema's format changed to an unrelated one (date to date-time, date to uuid): values valid in one format are not in the other, in either direction.";
    REQUEST_FORMAT_WIDENED: "request-format-widened", Compatible, Info, Request, ["request-parameter-type-generalized", "request-property-type-generalized"],
        "A request format widened (int32 to int64, float to double, format dropped): what clients send stays valid. (`date` to `date-time` is not a widening: `2024-05-01` is no date-time.)";
    REQUEST_FORMAT_NARROWED: "request-format-narrowed", Breaking, Error, Request, ["request-parameter-type-changed", "request-property-type-changed"],
        "A request format narrowed (int64 to int32, a format where there was none): clients may send values outside it.";
    RESPONSE_FORMAT_WIDENED: "response-format-widened", Breaking, Error, Response, ["response-property-type-changed"],
        "A response format widened (int32 to int64, format dropped): clients decoding the old format fail on the new values.";
    RESPONSE_FORMAT_NARROWED: "response-format-narrowed", Compatible, Info, Response, ["response-property-type-specialized"],
        "A response format narrowed (int64 to int32, a format where there was none): clients already accept the narrower values.";

    // Bounds: numbers (minimum, maximum, exclusive*, multipleOf).
    REQUEST_RANGE_NARROWED: "request-range-narrowed", Breaking, Error, Request, ["request-parameter-max-decreased", "request-parameter-min-increased", "request-parameter-max-set", "request-parameter-min-set", "request-parameter-exclusive-max-decreased", "request-parameter-exclusive-min-increased", "request-property-max-decreased", "request-property-min-increased", "request-property-max-set", "request-property-min-set"],
        "A request number's range narrowed (`maximum` lowered or added, `minimum` raised or added, a bound made exclusive, `multipleOf` added or made stricter): clients sending a value outside it get 422.";
    REQUEST_RANGE_WIDENED: "request-range-widened", Compatible, Info, Request, ["request-parameter-max-increased", "request-parameter-min-decreased", "request-property-max-increased", "request-property-min-decreased"],
        "A request number's range widened (a bound relaxed or removed): what clients send stays valid.";
    RESPONSE_RANGE_WIDENED: "response-range-widened", Breaking, Warning, Response, ["response-body-max-increased", "response-property-max-increased", "response-body-min-decreased", "response-property-min-decreased"],
        "A response number's range widened (a bound relaxed or removed): clients checking the old bounds fail on the new values.";
    RESPONSE_RANGE_NARROWED: "response-range-narrowed", Compatible, Info, Response, [],
        "A response number's range narrowed: clients already accept the narrower values.";
    MULTIPLE_OF_CHANGED: "multiple-of-changed", Breaking, Error, Both, [],
        "`multipleOf` changed to a value that neither divides nor is divided by the old one: some values valid before are not now, and the reverse.";

    // Bounds: strings (minLength, maxLength, pattern).
    REQUEST_LENGTH_NARROWED: "request-length-narrowed", Breaking, Error, Request, ["request-parameter-max-length-decreased", "request-parameter-max-length-set", "request-parameter-min-length-increased", "request-property-max-length-decreased", "request-property-max-length-set", "request-property-min-length-increased"],
        "A request string's length bounds narrowed (`maxLength` lowered or added, `minLength` raised or added): longer or shorter strings clients send are refused.";
    REQUEST_LENGTH_WIDENED: "request-length-widened", Compatible, Info, Request, ["request-parameter-max-length-increased", "request-parameter-min-length-decreased", "request-property-max-length-increased", "request-property-min-length-decreased"],
        "A request string's length bounds widened: what clients send stays valid.";
    RESPONSE_LENGTH_WIDENED: "response-length-widened", Breaking, Warning, Response, ["response-body-max-length-increased", "response-property-max-length-increased", "response-property-max-length-unset", "response-property-min-length-decreased"],
        "A response string's length bounds widened: clients checking the old bounds fail on the new values.";
    RESPONSE_LENGTH_NARROWED: "response-length-narrowed", Compatible, Info, Response, [],
        "A response string's length bounds narrowed: clients already accept the narrower values.";
    REQUEST_PATTERN_ADDED: "request-pattern-added", Breaking, Error, Request, ["request-parameter-pattern-added", "request-property-pattern-added"],
        "A request string gained a `pattern`: values clients send that do not match it are refused.";
    REQUEST_PATTERN_REMOVED: "request-pattern-removed", Compatible, Info, Request, ["request-parameter-pattern-removed", "request-property-pattern-removed"],
        "A request string's `pattern` was removed: what clients send stays valid.";
    RESPONSE_PATTERN_REMOVED: "response-pattern-removed", Breaking, Warning, Response, ["response-property-pattern-removed"],
        "A response string's `pattern` was removed: clients validating it fail on values outside it. (oasdiff: INFO.)";
    RESPONSE_PATTERN_ADDED: "response-pattern-added", Compatible, Info, Response, ["response-property-pattern-added"],
        "A response string gained a `pattern`: clients already accept the narrower values.";
    PATTERN_CHANGED: "pattern-changed", Breaking, Warning, Both, ["request-parameter-pattern-changed", "request-property-pattern-changed", "response-property-pattern-changed"],
        "A `pattern` changed: regular expressions are not compared, so some value may match one and not the other, in either direction. (oasdiff: WARN on requests, INFO on responses.)";

    // Bounds: arrays and objects (minItems, maxItems, uniqueItems, minProperties, maxProperties).
    REQUEST_SIZE_NARROWED: "request-size-narrowed", Breaking, Error, Request, ["request-parameter-max-items-decreased", "request-parameter-min-items-increased", "request-property-min-items-increased"],
        "A request array's or object's size bounds narrowed (`maxItems`/`maxProperties` lowered or added, `minItems`/`minProperties` raised or added, `uniqueItems` turned on): clients may send values outside them.";
    REQUEST_SIZE_WIDENED: "request-size-widened", Compatible, Info, Request, ["request-parameter-max-items-increased", "request-parameter-min-items-decreased"],
        "A request array's or object's size bounds widened: what clients send stays valid.";
    RESPONSE_SIZE_WIDENED: "response-size-widened", Breaking, Warning, Response, ["response-body-min-items-decreased", "response-property-min-items-decreased", "response-property-min-items-unset"],
        "A response array's or object's size bounds widened: clients checking the old bounds fail on the new values.";
    RESPONSE_SIZE_NARROWED: "response-size-narrowed", Compatible, Info, Response, [],
        "A response array's or object's size bounds narrowed: clients already accept the narrower values.";

    // Objects: additionalProperties.
    REQUEST_ADDITIONAL_PROPERTIES_NARROWED: "request-additional-properties-narrowed", Breaking, Error, Request, [],
        "A request object now forbids unknown keys (`additionalProperties: false`), or restricts them to a schema: clients that send extra keys are refused.";
    REQUEST_ADDITIONAL_PROPERTIES_WIDENED: "request-additional-properties-widened", Compatible, Info, Request, [],
        "A request object now allows unknown keys: what clients send stays valid.";
    RESPONSE_ADDITIONAL_PROPERTIES_WIDENED: "response-additional-properties-widened", Breaking, Warning, Response, [],
        "A response object that forbade unknown keys now allows them: strict clients reject the keys that may arrive.";
    RESPONSE_ADDITIONAL_PROPERTIES_NARROWED: "response-additional-properties-narrowed", Compatible, Info, Response, [],
        "A response object now forbids unknown keys: clients receive fewer kinds of objects.";

    // Alternatives (oneOf, anyOf) and discriminators.
    REQUEST_ALTERNATIVE_REMOVED: "request-alternative-removed", Breaking, Error, Request, ["request-body-one-of-removed", "request-property-one-of-removed", "request-body-any-of-removed", "request-property-any-of-removed"],
        "A `oneOf`/`anyOf` alternative was removed from a request schema: clients sending that shape are refused.";
    REQUEST_ALTERNATIVE_ADDED: "request-alternative-added", Compatible, Info, Request, ["request-body-one-of-added", "request-property-one-of-added", "request-body-any-of-added", "request-property-any-of-added"],
        "A `oneOf`/`anyOf` alternative was added to a request schema: what clients send stays valid.";
    RESPONSE_ALTERNATIVE_ADDED: "response-alternative-added", Breaking, Error, Response, ["response-body-one-of-added", "response-property-one-of-added", "response-body-any-of-added", "response-property-any-of-added"],
        "A `oneOf`/`anyOf` alternative was added to a response schema: clients fail to decode values of the new shape. (oasdiff: INFO for anyOf.)";
    RESPONSE_ALTERNATIVE_REMOVED: "response-alternative-removed", Compatible, Info, Response, ["response-body-one-of-removed", "response-property-one-of-removed", "response-body-any-of-removed", "response-property-any-of-removed"],
        "A `oneOf`/`anyOf` alternative was removed from a response schema: clients simply never receive that shape.";
    REQUEST_DISCRIMINATOR_NARROWED: "request-discriminator-narrowed", Breaking, Error, Request, ["request-body-discriminator-added", "request-property-discriminator-added", "request-body-discriminator-mapping-deleted", "request-property-discriminator-mapping-deleted"],
        "A request discriminator was added, or a mapping key removed: bodies clients send without that tag are refused. (oasdiff: INFO.)";
    REQUEST_DISCRIMINATOR_WIDENED: "request-discriminator-widened", Compatible, Info, Request, ["request-body-discriminator-removed", "request-property-discriminator-removed", "request-body-discriminator-mapping-added", "request-property-discriminator-mapping-added"],
        "A request discriminator was removed, or a mapping key added: what clients send stays valid.";
    RESPONSE_DISCRIMINATOR_WIDENED: "response-discriminator-widened", Breaking, Warning, Response, ["response-body-discriminator-removed", "response-property-discriminator-removed", "response-body-discriminator-mapping-added", "response-property-discriminator-mapping-added"],
        "A response discriminator was removed, or a mapping key added: clients that dispatch on the tag meet one they do not know. (oasdiff: INFO.)";
    RESPONSE_DISCRIMINATOR_NARROWED: "response-discriminator-narrowed", Compatible, Info, Response, ["response-body-discriminator-added", "response-property-discriminator-added", "response-body-discriminator-mapping-deleted", "response-property-discriminator-mapping-deleted"],
        "A response discriminator was added, or a mapping key removed: clients receive fewer kinds of values.";
    DISCRIMINATOR_CHANGED: "discriminator-changed", Breaking, Error, Both, ["request-body-discriminator-property-name-changed", "response-body-discriminator-property-name-changed", "request-body-discriminator-mapping-changed", "response-body-discriminator-mapping-changed"],
        "A discriminator's property name, or the schema a mapping key names, changed: clients tag or dispatch the old way.";

    // References.
    REF_RETARGETED: "ref-retargeted", Compatible, Info, Both, [],
        "A $ref now targets another schema whose shape differs: the two targets are compared, and what differs between them is reported by its own rules.";
    REF_RETARGETED_SAME_SHAPE: "ref-retargeted-same-shape", Compatible, Info, Both, [],
        "A $ref now targets another schema with the same normalized shape: the wire format is unchanged.";

    // Security.
    SECURITY_ADDED: "security-added", Breaking, Error, Both, ["api-security-added", "api-global-security-added"],
        "An operation that accepted anonymous requests now requires credentials (on the operation or globally): existing clients send none. (oasdiff: INFO.)";
    SECURITY_REMOVED: "security-removed", Compatible, Info, Both, ["api-security-removed", "api-global-security-removed"],
        "An operation now accepts anonymous requests: clients that send credentials are still served.";
    SECURITY_ALTERNATIVE_REMOVED: "security-alternative-removed", Breaking, Error, Both, ["api-security-removed", "api-global-security-removed"],
        "A security alternative was removed (`[{a}, {b}]` to `[{a}]`): clients authenticating with it are refused.";
    SECURITY_ALTERNATIVE_ADDED: "security-alternative-added", Compatible, Info, Both, ["api-security-added", "api-global-security-added"],
        "A security alternative was added: clients keep authenticating as before.";
    SECURITY_SCHEME_ANDED: "security-scheme-anded", Breaking, Error, Both, ["api-security-added"],
        "A scheme was AND-ed into a security requirement (`{a}` to `{a, b}`): clients send only the old credentials.";
    SECURITY_SCHEME_DROPPED: "security-scheme-dropped", Compatible, Info, Both, ["api-security-removed"],
        "A scheme was dropped from an AND-ed requirement: clients still send it, which is harmless.";
    SECURITY_SCOPE_ADDED: "security-scope-added", Breaking, Error, Both, ["api-security-scope-added", "api-global-security-scope-added"],
        "An OAuth scope was added to a requirement: tokens clients hold lack it. (oasdiff: INFO.)";
    SECURITY_SCOPE_REMOVED: "security-scope-removed", Compatible, Info, Both, ["api-security-scope-removed", "api-global-security-scope-removed"],
        "An OAuth scope was removed from a requirement: tokens clients hold still suffice.";
    SECURITY_SCHEME_CHANGED: "security-scheme-changed", Breaking, Error, Both, ["api-security-component-type-changed", "api-security-component-oauth-url-changed", "api-security-component-oauth-token-url-changed", "api-security-component-oauth-scope-removed"],
        "A security scheme in use changed how clients authenticate (type, HTTP scheme, API key name or location, OAuth flows, URLs, or a scope removed): clients authenticate the old way. (oasdiff: INFO.)";
    SECURITY_SCHEME_EXTENDED: "security-scheme-extended", Compatible, Info, Both, ["api-security-component-oauth-scope-added"],
        "A security scheme in use offers a new OAuth flow or scope: clients that do not use it are unaffected.";

    // Servers.
    SERVER_REMOVED: "server-removed", Breaking, Error, Both, [],
        "A server (base URL) was removed, at the document, path or operation level: clients configured with it reach nothing. (oasdiff reports no server changes.)";
    SERVER_CHANGED: "server-changed", Breaking, Error, Both, [],
        "The server URL (host or base path, `{variables}` read at their defaults) changed: clients configured with the old one call the wrong place.";
    SERVER_ADDED: "server-added", Compatible, Info, Both, [],
        "A server was added: clients keep using the ones they know.";

    // No effect on the wire.
    DOCUMENTATION_CHANGED: "documentation-changed", Compatible, Info, Both, ["api-tag-added", "api-tag-removed"],
        "Documentation changed (descriptions, summaries, titles, examples, tags, external docs, `info`, the `openapi` patch version): nothing on the wire.";
    EXTENSION_CHANGED: "extension-changed", Compatible, Info, Both, [],
        "A specification extension (`x-...`) changed: no effect on the wire; tools that read it may behave differently.";
    COMPONENT_UNUSED_CHANGED: "component-unused-changed", Compatible, Info, Both, ["api-schema-removed"],
        "A component no operation reaches was added, removed or changed: nothing on the wire.";

    // Everything else.
    UNCLASSIFIED: "unclassified", Unclassified, Error, Both, [],
        "A difference no rule knows (`not`, callbacks, encodings, a parameter's media type, ...): a person must judge it; it fails the gate until accepted.";
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.id == id)
}

/// The rules as a Markdown table (the text of `rules.md`).
pub fn markdown_table() -> String {
    let mut text = String::from("| rule | level | verdict | side | oasdiff | meaning |\n|---|---|---|---|---|---|\n");
    for rule in RULES {
        let verdict = match rule.verdict {
            Verdict::Breaking => "**breaking**",
            Verdict::Unclassified => "**unclassified**",
            Verdict::Compatible => "compatible",
        };
        let side = match rule.side {
            Side::Request => "request",
            Side::Response => "response",
            Side::Both => "—",
        };
        let oasdiff = rule.oasdiff.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ");
        text.push_str(&format!("| `{}` | {} | {verdict} | {side} | {oasdiff} | {} |\n", rule.id, rule.level, rule.description));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", rule.id);
            assert!(RULES[..i].iter().all(|r| r.id != rule.id), "duplicate rule id {}", rule.id);
        }
    }

    #[test]
    fn levels_agree_with_verdicts() {
        for rule in RULES {
            let allowed: &[Level] = match rule.verdict {
                Verdict::Compatible => &[Level::Info],
                Verdict::Breaking => &[Level::Warning, Level::Error],
                Verdict::Unclassified => &[Level::Error],
            };
            assert!(allowed.contains(&rule.level), "{} is {:?} at {}", rule.id, rule.verdict, rule.level);
        }
        // Typed clients lose a removed field, required or not.
        assert!(rule("response-optional-property-removed").unwrap().level >= Level::Warning);
        assert_eq!(rule("response-enum-value-added").unwrap().level, Level::Warning);
        assert_eq!(rule("response-success-status-added").unwrap().level, Level::Warning);
    }

    #[test]
    fn directional_rules_say_their_side_in_their_id() {
        for rule in RULES {
            let prefix = rule.id.split('-').next().unwrap_or_default();
            match rule.side {
                Side::Request => assert!(matches!(prefix, "request" | "parameter"), "{}", rule.id),
                Side::Response => assert_eq!(prefix, "response", "{}", rule.id),
                Side::Both => assert!(!matches!(prefix, "request" | "response" | "parameter"), "{}", rule.id),
            }
        }
    }

    /// `UPDATE_EXPECT=1 cargo test -p openapi-compat rules_md` rewrites it.
    #[test]
    fn rules_md_is_the_rendered_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules.md");
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(path, markdown_table()).unwrap();
        }
        assert_eq!(std::fs::read_to_string(path).unwrap(), markdown_table(), "run `UPDATE_EXPECT=1 cargo test -p openapi-compat rules_md`");
    }
}

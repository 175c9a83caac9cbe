//! Loading: YAML text to a JSON value (for pointers and schema validation)
//! and to the typed `openapiv3` model (for the generators).

use crate::diagnostic::{Diagnostic, Error, escape_token};

/// A parsed spec: its text, its JSON value and its typed model.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The name used in messages (usually `openapi.yaml`).
    pub file: String,
    /// The document as JSON, for pointers and JSON Schema validation.
    pub json: serde_json::Value,
    /// The typed document the generators read.
    pub openapi: openapiv3::OpenAPI,
}

impl Spec {
    /// Parses YAML (or JSON) text and checks it against the official
    /// OpenAPI 3.0 JSON Schema, then reads the typed model. Every problem is
    /// reported with a pointer; [`crate::validate`] adds the semantic checks
    /// (`$ref`s, examples, generator rules).
    pub fn parse(file: &str, text: &str) -> Result<Spec, Error> {
        let invalid = |pointer: String, message: String| {
            Error::Invalid(vec![Diagnostic { file: file.to_owned(), pointer, message }])
        };
        let yaml: serde_yaml::Value = serde_yaml::from_str(text)
            .map_err(|e| invalid(String::new(), format!("not valid YAML: {e}")))?;
        let json = yaml_to_json(yaml).map_err(|(pointer, message)| invalid(pointer, message))?;
        // The schema names the place; the typed model, parsed even when the
        // schema fails, often names the reason (`unknown variant body`).
        let mut problems = crate::validate::against_openapi_schema(file, &json);
        let openapi = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&json).map_err(|e| Diagnostic {
            file: file.to_owned(),
            pointer: path_to_pointer(e.path()),
            message: format!("not an OpenAPI 3.0 document: {}", e.inner()),
        });
        let openapi = match openapi {
            Ok(openapi) if problems.is_empty() => openapi,
            Ok(_) => return Err(Error::Invalid(problems)),
            Err(problem) => {
                problems.push(problem);
                return Err(Error::Invalid(problems));
            }
        };
        Ok(Spec { file: file.to_owned(), json, openapi })
    }

    /// A diagnostic about this spec.
    pub(crate) fn diagnostic(&self, pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { file: self.file.clone(), pointer: pointer.into(), message: message.into() }
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", escape_token(key))),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

/// YAML allows non-string keys (`200:` for a status code); OpenAPI means
/// them as strings, so scalars keys are stringified. Tagged values and
/// non-scalar keys are errors.
fn yaml_to_json(yaml: serde_yaml::Value) -> Result<serde_json::Value, (String, String)> {
    fn convert(yaml: serde_yaml::Value, pointer: &str) -> Result<serde_json::Value, (String, String)> {
        use serde_yaml::Value as Y;
        Ok(match yaml {
            Y::Null => serde_json::Value::Null,
            Y::Bool(b) => serde_json::Value::Bool(b),
            Y::Number(n) => serde_json::to_value(&n).map_err(|e| (pointer.to_owned(), e.to_string()))?,
            Y::String(s) => serde_json::Value::String(s),
            Y::Sequence(items) => serde_json::Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| convert(item, &format!("{pointer}/{i}")))
                    .collect::<Result<_, _>>()?,
            ),
            Y::Mapping(map) => {
                let mut object = serde_json::Map::new();
                for (key, value) in map {
                    let key = match key {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        other => {
                            return Err((pointer.to_owned(), format!("a mapping key must be a scalar, found {other:?}")));
                        }
                    };
                    let value = convert(value, &format!("{pointer}/{}", escape_token(&key)))?;
                    object.insert(key, value);
                }
                serde_json::Value::Object(object)
            }
            Y::Tagged(tagged) => {
                return Err((pointer.to_owned(), format!("YAML tags are not supported (found {})", tagged.tag)));
            }
        })
    }
    convert(yaml, "")
}

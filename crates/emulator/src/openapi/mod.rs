//! Atlassian's OpenAPI documents, and requests checked against them.
//!
//! A request matches when its path fits one of the document's path templates (a literal segment
//! beats a `{param}` one, as in Confluence's router), the template declares its method, every
//! query parameter is declared for that operation with a value of the declared type, required
//! parameters are present, and a JSON body is valid against the operation's `requestBody`
//! schema. A `multipart/form-data` body must be a readable form whose part names the schema
//! declares, with its required parts (Cloud requires `minorEdit` besides `file`); part contents
//! are not checked. Header and cookie parameters are not checked.
//!
//! A mismatch carries the status a real server's router gives: 404 for a path no template
//! matches, 405 for a method the path does not declare, 400 for the rest.
//!
//! Documents are parsed once per process and shared between emulators.

mod params;
mod schema;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::error::StartError;
use crate::escape::percent_decode;
use crate::multipart::{MultipartError, Part};

/// One loaded OpenAPI document with its path templates split into segments.
pub struct ApiDocument {
    file: String,
    root: Value,
    templates: Vec<PathTemplate>,
}

struct PathTemplate {
    template: String,
    segments: Vec<Segment>,
    literals: usize,
}

enum Segment {
    Literal(String),
    Param(String),
}

/// The parts of a request the document constrains.
pub struct RequestParts<'a> {
    /// Upper-case method, such as `PUT`.
    pub method: &'a str,
    /// Path in the document's terms (for Cloud v2, without `/wiki/api/v2`).
    pub path: &'a str,
    /// Decoded query pairs, in order, repeats kept.
    pub query: &'a [(String, String)],
    /// The media type of the body, without parameters, lower case.
    pub media_type: Option<&'a str>,
    /// Whether a body was sent at all.
    pub has_body: bool,
    /// The body parsed as JSON, or why it is not JSON; `None` when there is no body.
    pub json: Option<&'a Result<Value, String>>,
    /// The body parsed as a form, for `multipart/form-data` bodies.
    pub form: Option<&'a Result<Vec<Part>, MultipartError>>,
}

/// The operation a request matched.
#[derive(Clone, Debug)]
pub struct MatchedOperation {
    /// `operationId`, such as `createContent`.
    pub operation_id: Option<String>,
    /// Whether the document flags the operation as deprecated.
    pub deprecated: bool,
    /// Path parameters by name, percent-decoded.
    pub path_params: BTreeMap<String, String>,
}

/// Why a request does not match the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The operation the path and method matched, when they did.
    pub operation_id: Option<String>,
    /// What does not match.
    pub detail: String,
    /// 404 (no such path), 405 (no such method on the path) or 400.
    pub status: u16,
    /// For 405: the methods the path declares, upper case.
    pub allowed: Vec<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Request does not match the OpenAPI document: {}",
            self.detail
        )
    }
}

/// Loads `path`, or returns the copy this process already loaded.
pub fn load_shared(path: &Path) -> Result<Arc<ApiDocument>, StartError> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<ApiDocument>>>> = OnceLock::new();
    let key = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    let cache = LOADED.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(document) = cache.get(&key) {
        return Ok(Arc::clone(document));
    }
    let document = Arc::new(ApiDocument::load(path)?);
    cache.insert(key, Arc::clone(&document));
    Ok(document)
}

impl ApiDocument {
    /// Reads and indexes one document.
    pub fn load(path: &Path) -> Result<Self, StartError> {
        let text = std::fs::read_to_string(path).map_err(|source| StartError::SpecUnreadable {
            path: path.to_owned(),
            source,
        })?;
        let root: Value = serde_json::from_str(&text).map_err(|error| StartError::SpecInvalid {
            path: path.to_owned(),
            reason: error.to_string(),
        })?;
        let Some(paths) = root.get("paths").and_then(Value::as_object) else {
            let reason = "it has no `paths` object".to_owned();
            return Err(StartError::SpecInvalid {
                path: path.to_owned(),
                reason,
            });
        };
        let templates = paths
            .keys()
            .map(|template| PathTemplate::parse(template))
            .collect();
        let file = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        Ok(Self {
            file,
            root,
            templates,
        })
    }

    /// Matches a request to an operation and checks its parameters and body.
    pub fn check(&self, request: &RequestParts) -> Result<MatchedOperation, Violation> {
        let (template, segments) = self.match_path(request.path)?;
        let (operation, template) = self.operation(template, request.method)?;
        let path_params = template.bind(&segments).unwrap_or_default();
        operation.check_path_params(&path_params)?;
        operation.check_query(request.query)?;
        operation.check_body(request)?;
        Ok(MatchedOperation {
            operation_id: operation.id.clone(),
            deprecated: operation
                .spec
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            path_params,
        })
    }

    /// The most literal template that fits `path`, and the path's decoded segments.
    fn match_path(&self, path: &str) -> Result<(&PathTemplate, Vec<String>), Violation> {
        let segments: Option<Vec<String>> = path.split('/').skip(1).map(percent_decode).collect();
        let segments = segments.ok_or_else(|| self.violation(None, "the path is not UTF-8"))?;
        let best = self
            .templates
            .iter()
            .filter(|template| template.bind(&segments).is_some())
            .max_by_key(|template| template.literals);
        match best {
            Some(template) => Ok((template, segments)),
            None => {
                let violation = self.violation(None, &format!("no path template matches {path}"));
                Err(Violation {
                    status: 404,
                    ..violation
                })
            }
        }
    }

    /// The operation for `method` on `template`, or on a sibling template of equal rank.
    fn operation(
        &self,
        template: &PathTemplate,
        method: &str,
    ) -> Result<(Operation<'_>, &PathTemplate), Violation> {
        let siblings = self
            .templates
            .iter()
            .filter(|other| other.is_sibling_of(template));
        for sibling in siblings {
            let item = &self.root["paths"][&sibling.template];
            if let Some(spec) = item.get(method.to_ascii_lowercase()) {
                return Ok((
                    Operation::new(self, &sibling.template, method, item, spec),
                    sibling,
                ));
            }
        }
        let detail = format!("{method} is not declared for {}", template.template);
        Err(Violation {
            status: 405,
            allowed: self.methods_of(template),
            ..self.violation(None, &detail)
        })
    }

    /// The methods declared on a template and its siblings, upper case, GET first.
    fn methods_of(&self, template: &PathTemplate) -> Vec<String> {
        const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];
        let items: Vec<&Value> = self
            .templates
            .iter()
            .filter(|t| t.is_sibling_of(template))
            .map(|sibling| &self.root["paths"][&sibling.template])
            .collect();
        METHODS
            .iter()
            .filter(|method| items.iter().any(|item| item.get(**method).is_some()))
            .map(|method| method.to_ascii_uppercase())
            .collect()
    }

    fn violation(&self, operation_id: Option<String>, detail: &str) -> Violation {
        Violation {
            operation_id,
            detail: format!("{detail} (in {})", self.file),
            status: 400,
            allowed: Vec::new(),
        }
    }
}

impl PathTemplate {
    fn parse(template: &str) -> Self {
        let segments: Vec<Segment> = template.split('/').skip(1).map(Segment::parse).collect();
        let literals = segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count();
        Self {
            template: template.to_owned(),
            segments,
            literals,
        }
    }

    /// Parameters by name if `segments` fit this template.
    fn bind(&self, segments: &[String]) -> Option<BTreeMap<String, String>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut params = BTreeMap::new();
        for (pattern, actual) in self.segments.iter().zip(segments) {
            match pattern {
                Segment::Literal(literal) if literal == actual => {}
                Segment::Literal(_) => return None,
                Segment::Param(_) if actual.is_empty() => return None,
                Segment::Param(name) => {
                    params.insert(name.clone(), actual.clone());
                }
            }
        }
        Some(params)
    }

    /// Same shape, differing only in parameter names (`{id}` and `{contentId}`).
    fn is_sibling_of(&self, other: &PathTemplate) -> bool {
        self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|pair| match pair {
                    (Segment::Literal(a), Segment::Literal(b)) => a == b,
                    (Segment::Param(_), Segment::Param(_)) => true,
                    (Segment::Literal(_), Segment::Param(_))
                    | (Segment::Param(_), Segment::Literal(_)) => false,
                })
    }
}

impl Segment {
    fn parse(text: &str) -> Self {
        match text
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(name) => Self::Param(name.to_owned()),
            None => Self::Literal(text.to_owned()),
        }
    }
}

/// One operation of a document, with its parameters resolved.
struct Operation<'d> {
    document: &'d ApiDocument,
    id: Option<String>,
    label: String,
    spec: &'d Value,
    parameters: Vec<&'d Value>,
}

impl<'d> Operation<'d> {
    fn new(
        document: &'d ApiDocument,
        template: &str,
        method: &str,
        item: &'d Value,
        spec: &'d Value,
    ) -> Self {
        let id = spec
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let label = format!(
            "{} ({method} {template})",
            id.as_deref().unwrap_or("operation")
        );
        let declared = [item.get("parameters"), spec.get("parameters")];
        let parameters = declared
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .map(|parameter| schema::resolve(&document.root, parameter))
            .collect();
        Self {
            document,
            id,
            label,
            spec,
            parameters,
        }
    }

    fn violation(&self, detail: String) -> Violation {
        self.document
            .violation(self.id.clone(), &format!("{detail} for {}", self.label))
    }

    /// Every declaration of a parameter (the Data Center document repeats some).
    fn declared(&self, location: &str, name: &str) -> Vec<&'d Value> {
        let matches = |p: &&&Value| p["in"] == location && p["name"] == name;
        self.parameters.iter().filter(matches).copied().collect()
    }

    fn check_path_params(&self, params: &BTreeMap<String, String>) -> Result<(), Violation> {
        for (name, value) in params {
            self.check_declared("path", name, &[value.as_str()])?;
        }
        Ok(())
    }

    fn check_query(&self, query: &[(String, String)]) -> Result<(), Violation> {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, value) in query {
            by_name.entry(name).or_default().push(value);
        }
        for (name, values) in &by_name {
            self.check_declared("query", name, values)?;
        }
        let required = self
            .parameters
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == true);
        for parameter in required {
            let name = parameter["name"].as_str().unwrap_or_default();
            if !by_name.contains_key(name) {
                return Err(self.violation(format!("required query parameter `{name}` is missing")));
            }
        }
        Ok(())
    }

    /// Passes when any declaration of the parameter accepts the values.
    fn check_declared(&self, location: &str, name: &str, values: &[&str]) -> Result<(), Violation> {
        let declarations = self.declared(location, name);
        if declarations.is_empty() && location == "path" {
            return Ok(());
        }
        let mut problem = format!("{location} parameter `{name}` is not declared");
        for declaration in declarations {
            let schema = declaration.get("schema").unwrap_or(&Value::Null);
            match params::check_values(&self.document.root, schema, values) {
                Ok(()) => return Ok(()),
                Err(why) => problem = format!("{location} parameter `{name}`: {why}"),
            }
        }
        Err(self.violation(problem))
    }

    fn check_body(&self, request: &RequestParts) -> Result<(), Violation> {
        let Some(declared) = self.spec.get("requestBody") else {
            return match request.has_body {
                true => Err(self.violation("a request body is sent but none is declared".into())),
                false => Ok(()),
            };
        };
        let declared = schema::resolve(&self.document.root, declared);
        if !request.has_body {
            return match declared["required"] == true {
                true => Err(self.violation("the required request body is missing".into())),
                false => Ok(()),
            };
        }
        let media_type = request.media_type.unwrap_or("(none)");
        let Some(content) = find_media_type(&declared["content"], media_type) else {
            let detail = format!("Content-Type {media_type} is not declared");
            return Err(self.violation(detail));
        };
        if media_type == "multipart/form-data" {
            return self.check_form(content, request.form);
        }
        match request.json {
            Some(json) if is_json(media_type) => self.check_json(content, json),
            Some(_) | None => Ok(()),
        }
    }

    /// A form must parse, name only declared parts, and include the required ones.
    fn check_form(
        &self,
        content: &Value,
        form: Option<&Result<Vec<Part>, MultipartError>>,
    ) -> Result<(), Violation> {
        let parts = match form {
            Some(Ok(parts)) => parts,
            Some(Err(why)) => {
                let detail = format!("the multipart/form-data body cannot be read ({why})");
                return Err(self.violation(detail));
            }
            None => return Err(self.violation("the multipart/form-data body is missing".into())),
        };
        let schema = content
            .get("schema")
            .map(|schema| schema::resolve(&self.document.root, schema));
        let Some(schema) = schema else {
            return Ok(());
        };
        let names: Vec<&str> = parts.iter().map(|part| part.name.as_str()).collect();
        if let Some(declared) = schema.get("properties").and_then(Value::as_object) {
            if let Some(unknown) = names.iter().find(|name| !declared.contains_key(**name)) {
                let detail = format!("multipart part `{unknown}` is not declared");
                return Err(self.violation(detail));
            }
        }
        let required = schema.get("required").and_then(Value::as_array);
        let required = required.into_iter().flatten().filter_map(Value::as_str);
        for name in required {
            if !names.contains(&name) {
                let detail = format!("required multipart part `{name}` is missing");
                return Err(self.violation(detail));
            }
        }
        Ok(())
    }

    fn check_json(&self, content: &Value, json: &Result<Value, String>) -> Result<(), Violation> {
        let body = json
            .as_ref()
            .map_err(|why| self.violation(format!("the request body is not JSON ({why})")))?;
        let Some(body_schema) = content.get("schema") else {
            return Ok(());
        };
        schema::validate(&self.document.root, body_schema, body).map_err(|mismatch| {
            let at = if mismatch.pointer.is_empty() {
                "/"
            } else {
                &mismatch.pointer
            };
            self.violation(format!("request body at {at}: {}", mismatch.problem))
        })
    }
}

/// The declared media type entry that covers `media_type` (exact, `type/*` or `*/*`).
fn find_media_type<'d>(content: &'d Value, media_type: &str) -> Option<&'d Value> {
    let content = content.as_object()?;
    let family = media_type.split('/').next().unwrap_or_default();
    content
        .get(media_type)
        .or_else(|| content.get(&format!("{family}/*")))
        .or_else(|| content.get("*/*"))
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document() -> ApiDocument {
        let root = json!({"paths": {
            "/rest/api/content/{id}": {"get": {"operationId": "getContentById", "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "expand", "in": "query", "schema": {"type": "string"}}
            ]}},
            "/rest/api/content/{contentId}": {"put": {"operationId": "update",
                "requestBody": {"required": true, "content": {"application/json": {"schema":
                    {"type": "object", "required": ["version"],
                     "properties": {"version": {"type": "object"}}}}}}}},
            "/rest/api/content/search": {"get": {"operationId": "search", "parameters": [
                {"name": "cql", "in": "query", "required": true, "schema": {"type": "string"}}
            ]}}
        }});
        let templates = root["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(|t| PathTemplate::parse(t))
            .collect();
        ApiDocument {
            file: "test.json".into(),
            root,
            templates,
        }
    }

    fn check(
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<String, String> {
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let json = body.map(Ok);
        let request = RequestParts {
            method,
            path,
            query: &query,
            media_type: json.as_ref().map(|_| "application/json"),
            has_body: json.is_some(),
            json: json.as_ref(),
            form: None,
        };
        document()
            .check(&request)
            .map(|op| op.operation_id.unwrap())
            .map_err(|v| v.to_string())
    }

    #[test]
    fn literal_segments_win_and_siblings_share_methods() {
        assert_eq!(
            check("GET", "/rest/api/content/search", &[("cql", "x")], None),
            Ok("search".into())
        );
        assert_eq!(
            check("GET", "/rest/api/content/12", &[], None),
            Ok("getContentById".into())
        );
        let body = json!({"version": {"number": 2}});
        assert_eq!(
            check("PUT", "/rest/api/content/12", &[], Some(body)),
            Ok("update".into())
        );
    }

    #[test]
    fn mismatches_are_described() {
        assert_eq!(
            check("GET", "/rest/api/content/12", &[("spaceKey", "X")], None).unwrap_err(),
            "Request does not match the OpenAPI document: query parameter `spaceKey` is not \
             declared for getContentById (GET /rest/api/content/{id}) (in test.json)"
        );
        assert!(check("GET", "/rest/api/content/search", &[], None)
            .unwrap_err()
            .contains("`cql` is missing"));
        assert!(check("DELETE", "/rest/api/content/1", &[], None)
            .unwrap_err()
            .contains("DELETE is not declared"));
        let parts = RequestParts {
            method: "DELETE",
            path: "/rest/api/content/1",
            query: &[],
            media_type: None,
            has_body: false,
            json: None,
            form: None,
        };
        let refused = document().check(&parts).unwrap_err();
        assert_eq!(
            (refused.status, refused.allowed),
            (405, vec!["GET".into(), "PUT".into()])
        );
        assert!(check("GET", "/rest/api/nothing", &[], None)
            .unwrap_err()
            .contains("no path template"));
        assert!(check("PUT", "/rest/api/content/1", &[], None)
            .unwrap_err()
            .contains("body is missing"));
        assert!(check("PUT", "/rest/api/content/1", &[], Some(json!({})))
            .unwrap_err()
            .contains("`version`"));
    }
}

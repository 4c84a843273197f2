//! A small JSON validator for the OpenAPI 3.0 schema objects of one document.
//!
//! Checks `type`, `nullable`, `enum`, `required`, `properties`, `additionalProperties`, `items`,
//! `allOf`, and `oneOf`/`anyOf` loosely (at least one alternative must match: Atlassian's
//! alternatives overlap, so "exactly one" would reject valid bodies). `$ref`s are resolved inside
//! the same document. Formats, lengths and patterns are not checked.

use serde_json::{Map, Value};

/// References nested deeper than this are taken as matching (no real body gets near it).
const MAX_DEPTH: usize = 64;

/// Where a value fails its schema: a JSON pointer into the body, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaMismatch {
    pub pointer: String,
    pub problem: String,
}

impl SchemaMismatch {
    fn new(pointer: &str, problem: String) -> Self {
        Self {
            pointer: pointer.to_owned(),
            problem,
        }
    }
}

/// Resolves `{"$ref": "#/..."}` chains inside `document`; other values come back as they are.
pub fn resolve<'d>(document: &'d Value, mut value: &'d Value) -> &'d Value {
    for _ in 0..MAX_DEPTH {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        match reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
        {
            Some(target) => value = target,
            None => return value,
        }
    }
    value
}

/// Checks `value` against `schema`, both from (or pointing into) `document`.
pub fn validate(document: &Value, schema: &Value, value: &Value) -> Result<(), SchemaMismatch> {
    Validator { document }.check(schema, value, "", 0)
}

struct Validator<'d> {
    document: &'d Value,
}

impl<'d> Validator<'d> {
    fn check(
        &self,
        schema: &'d Value,
        value: &Value,
        pointer: &str,
        depth: usize,
    ) -> Result<(), SchemaMismatch> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let schema = resolve(self.document, schema);
        let Some(schema) = schema.as_object() else {
            return Ok(());
        };
        if value.is_null() {
            return check_null(schema, pointer);
        }
        check_type(schema, value, pointer)?;
        check_enum(schema, value, pointer)?;
        self.check_composition(schema, value, pointer, depth)?;
        match value {
            Value::Object(object) => self.check_object(schema, object, pointer, depth),
            Value::Array(items) => self.check_items(schema, items, pointer, depth),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => Ok(()),
        }
    }

    fn check_composition(
        &self,
        schema: &'d Map<String, Value>,
        value: &Value,
        pointer: &str,
        depth: usize,
    ) -> Result<(), SchemaMismatch> {
        for part in list(schema, "allOf") {
            self.check(part, value, pointer, depth + 1)?;
        }
        for keyword in ["oneOf", "anyOf"] {
            let alternatives = list(schema, keyword);
            if alternatives.is_empty() {
                continue;
            }
            let mut results = alternatives
                .iter()
                .map(|alt| self.check(alt, value, pointer, depth + 1));
            let first = match results.next() {
                Some(Err(first)) => first,
                Some(Ok(())) | None => continue,
            };
            if results.any(|result| result.is_ok()) {
                continue;
            }
            let problem = format!(
                "matches none of the {keyword} alternatives ({})",
                first.problem
            );
            return Err(SchemaMismatch::new(&first.pointer, problem));
        }
        Ok(())
    }

    fn check_object(
        &self,
        schema: &'d Map<String, Value>,
        object: &Map<String, Value>,
        pointer: &str,
        depth: usize,
    ) -> Result<(), SchemaMismatch> {
        for name in list(schema, "required")
            .iter()
            .filter_map(|name| name.as_str())
        {
            if !object.contains_key(name) {
                return Err(SchemaMismatch::new(
                    pointer,
                    format!("required property `{name}` is missing"),
                ));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, value) in object {
            let at = format!("{pointer}/{name}");
            match properties.and_then(|known| known.get(name)) {
                Some(property) => self.check(property, value, &at, depth + 1)?,
                None => self.check_additional(schema, name, value, &at, depth)?,
            }
        }
        Ok(())
    }

    /// A property the schema does not list: fine unless `additionalProperties` says otherwise.
    fn check_additional(
        &self,
        schema: &'d Map<String, Value>,
        name: &str,
        value: &Value,
        pointer: &str,
        depth: usize,
    ) -> Result<(), SchemaMismatch> {
        match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => Err(SchemaMismatch::new(
                pointer,
                format!("property `{name}` is not allowed here"),
            )),
            Some(extra @ Value::Object(_)) => self.check(extra, value, pointer, depth + 1),
            Some(_) | None => Ok(()),
        }
    }

    fn check_items(
        &self,
        schema: &'d Map<String, Value>,
        items: &[Value],
        pointer: &str,
        depth: usize,
    ) -> Result<(), SchemaMismatch> {
        let Some(item_schema) = schema.get("items") else {
            return Ok(());
        };
        for (index, item) in items.iter().enumerate() {
            self.check(item_schema, item, &format!("{pointer}/{index}"), depth + 1)?;
        }
        Ok(())
    }
}

fn list<'d>(schema: &'d Map<String, Value>, keyword: &str) -> &'d [Value] {
    schema
        .get(keyword)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `null` is fine when the schema is `nullable` or says nothing about the type.
fn check_null(schema: &Map<String, Value>, pointer: &str) -> Result<(), SchemaMismatch> {
    let nullable = schema
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match schema.get("type").and_then(Value::as_str) {
        Some(expected) if !nullable => Err(SchemaMismatch::new(
            pointer,
            format!("expected {expected}, found null"),
        )),
        Some(_) | None => Ok(()),
    }
}

fn check_type(
    schema: &Map<String, Value>,
    value: &Value,
    pointer: &str,
) -> Result<(), SchemaMismatch> {
    let Some(expected) = schema.get("type").and_then(Value::as_str) else {
        return Ok(());
    };
    let matches = match expected {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        _ => true,
    };
    if matches {
        return Ok(());
    }
    Err(SchemaMismatch::new(
        pointer,
        format!("expected {expected}, found {}", json_type(value)),
    ))
}

fn check_enum(
    schema: &Map<String, Value>,
    value: &Value,
    pointer: &str,
) -> Result<(), SchemaMismatch> {
    let allowed = list(schema, "enum");
    if allowed.is_empty() || allowed.contains(value) {
        return Ok(());
    }
    let choices: Vec<String> = allowed.iter().map(Value::to_string).collect();
    let problem = format!("{value} is not one of {}", choices.join(", "));
    Err(SchemaMismatch::new(pointer, problem))
}

/// The JSON type name of a value, as OpenAPI spells it.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document() -> Value {
        json!({"components": {"schemas": {
            "Page": {
                "type": "object",
                "required": ["title"],
                "properties": {
                    "title": {"type": "string"},
                    "status": {"type": "string", "enum": ["current", "draft"]},
                    "parent": {"$ref": "#/components/schemas/Page"},
                    "version": {"type": "object", "nullable": true,
                                "properties": {"number": {"type": "integer"}}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "body": {"oneOf": [{"type": "string"}, {"type": "object"}]}
                }
            },
            "Closed": {"type": "object", "additionalProperties": false,
                       "properties": {"a": {"type": "boolean"}}}
        }}})
    }

    fn check(schema: &str, value: Value) -> Result<(), String> {
        let document = document();
        let schema = json!({"$ref": format!("#/components/schemas/{schema}")});
        validate(&document, &schema, &value).map_err(|m| format!("{}: {}", m.pointer, m.problem))
    }

    #[test]
    fn accepts_matching_values() {
        let page = json!({"title": "A", "status": "current", "version": null, "tags": ["x"],
                          "parent": {"title": "P"}, "body": {"storage": {}}, "unknown": 1});
        assert_eq!(check("Page", page), Ok(()));
    }

    #[test]
    fn reports_the_first_mismatch_with_its_pointer() {
        assert_eq!(
            check("Page", json!({})),
            Err(": required property `title` is missing".into())
        );
        assert_eq!(
            check("Page", json!({"title": "A", "version": {"number": "2"}})),
            Err("/version/number: expected integer, found string".into())
        );
        assert_eq!(
            check("Page", json!({"title": "A", "status": "gone"})),
            Err("/status: \"gone\" is not one of \"current\", \"draft\"".into())
        );
        assert_eq!(
            check("Page", json!({"title": "A", "parent": {}})),
            Err("/parent: required property `title` is missing".into())
        );
        assert_eq!(
            check("Page", json!({"title": "A", "tags": [1]})),
            Err("/tags/0: expected string, found integer".into())
        );
        assert!(check("Page", json!({"title": "A", "body": 1}))
            .unwrap_err()
            .contains("oneOf"));
        assert_eq!(
            check("Closed", json!({"b": true})),
            Err("/b: property `b` is not allowed here".into())
        );
    }
}

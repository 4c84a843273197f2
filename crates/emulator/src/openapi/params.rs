//! Query and path parameter values checked against their declared schemas.
//!
//! Parameters arrive as text, so a value is checked by parsing it as the declared type:
//! integers and numbers must parse (and respect `minimum`/`maximum`), booleans are `true` or
//! `false`, enums must list the value. Array parameters take each occurrence and each
//! comma-separated part as one item, which covers both the `form` styles Atlassian uses.

use serde_json::Value;

use super::schema::resolve;

/// Checks every value sent for one parameter; `Err` says why the first bad one fails.
pub fn check_values(document: &Value, schema: &Value, values: &[&str]) -> Result<(), String> {
    let schema = resolve(document, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            let mut parts = values.iter().flat_map(|value| value.split(','));
            parts.try_for_each(|part| check_scalar(document, items, part))
        }
        Some(_) | None if values.len() > 1 => Err(format!(
            "is sent {} times but declared as a single value",
            values.len()
        )),
        Some(_) | None => values
            .iter()
            .try_for_each(|value| check_scalar(document, schema, value)),
    }
}

fn check_scalar(document: &Value, schema: &Value, text: &str) -> Result<(), String> {
    let schema = resolve(document, schema);
    let parsed = match schema.get("type").and_then(Value::as_str) {
        Some("integer") => parse_integer(text)?,
        Some("number") => parse_number(text)?,
        Some("boolean") => parse_boolean(text)?,
        Some(_) | None => Value::String(text.to_owned()),
    };
    check_bounds(schema, &parsed)?;
    check_enum(schema, &parsed)
}

fn parse_integer(text: &str) -> Result<Value, String> {
    text.parse::<i64>()
        .map(Value::from)
        .map_err(|_| format!("`{text}` is not an integer"))
}

fn parse_number(text: &str) -> Result<Value, String> {
    text.parse::<f64>()
        .map(Value::from)
        .map_err(|_| format!("`{text}` is not a number"))
}

fn parse_boolean(text: &str) -> Result<Value, String> {
    match text {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        _ => Err(format!("`{text}` is not true or false")),
    }
}

fn check_bounds(schema: &Value, value: &Value) -> Result<(), String> {
    let Some(number) = value.as_f64() else {
        return Ok(());
    };
    if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64) {
        if number < minimum {
            return Err(format!("{value} is below the minimum {minimum}"));
        }
    }
    match schema.get("maximum").and_then(Value::as_f64) {
        Some(maximum) if number > maximum => Err(format!("{value} is above the maximum {maximum}")),
        Some(_) | None => Ok(()),
    }
}

fn check_enum(schema: &Value, value: &Value) -> Result<(), String> {
    let Some(allowed) = schema.get("enum").and_then(Value::as_array) else {
        return Ok(());
    };
    if allowed.contains(value) {
        return Ok(());
    }
    let choices: Vec<String> = allowed.iter().map(Value::to_string).collect();
    Err(format!("{value} is not one of {}", choices.join(", ")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(schema: Value, values: &[&str]) -> Result<(), String> {
        check_values(&json!({}), &schema, values)
    }

    #[test]
    fn scalars_parse_as_their_type() {
        assert_eq!(check(json!({"type": "integer"}), &["12"]), Ok(()));
        assert_eq!(
            check(json!({"type": "integer"}), &["x"]),
            Err("`x` is not an integer".into())
        );
        assert_eq!(
            check(json!({"type": "boolean"}), &["yes"]),
            Err("`yes` is not true or false".into())
        );
        let limit = json!({"type": "integer", "minimum": 1, "maximum": 250});
        assert_eq!(check(limit, &["0"]), Err("0 is below the minimum 1".into()));
        assert_eq!(
            check(json!({"type": "string"}), &["a", "b"]).unwrap_err(),
            "is sent 2 times but declared as a single value"
        );
    }

    #[test]
    fn arrays_take_repeats_and_commas() {
        let statuses =
            json!({"type": "array", "items": {"type": "string", "enum": ["current", "draft"]}});
        assert_eq!(
            check(statuses.clone(), &["current,draft", "current"]),
            Ok(())
        );
        assert_eq!(
            check(statuses, &["current,gone"]),
            Err("\"gone\" is not one of \"current\", \"draft\"".into())
        );
        let ids = json!({"type": "array", "items": {"type": "integer"}});
        assert_eq!(check(ids, &["1,2,x"]), Err("`x` is not an integer".into()));
    }
}

//! Reading a job from JSON (SPEC §1): the whole SparkRTC create-job body, or
//! the bare `mix_param` object.

use serde_json::Value;

use super::Job;
use super::spec::{LayoutOptionsParam, MixParam};
use crate::error::{JobError, Problem};

impl Job {
    /// Reads and checks a job document: either the whole SparkRTC body
    /// (`{"mix_param": {...}, "record_param": {...}, "layout_options": {...}}`,
    /// other top-level keys ignored) or the bare `mix_param` object.
    ///
    /// As in SparkRTC, `nine_grids_view` ignores `layout_panes` entirely.
    ///
    /// ```
    /// use mixlayout::Job;
    /// let err = Job::from_json(br#"{"mix_param": {"room_id": "r", "encode_template": "1920x1080_30_4620",
    ///     "layout_template": "nine_grids_view", "colour": 3}}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("mix_param.colour: unknown field `colour`"));
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Job, JobError> {
        let size = bytes.len() as u64;
        if size > super::MAX_JOB_BYTES {
            return Err(JobError::new(
                "",
                Problem::TooLarge {
                    size,
                    max: super::MAX_JOB_BYTES,
                },
            ));
        }
        let document: Value = serde_json::from_slice(bytes)
            .map_err(|e| JobError::new("", Problem::Json(e.to_string())))?;
        let Value::Object(mut top) = document else {
            return Err(JobError::new("", Problem::Rule("a job is a JSON object")));
        };
        let (mut mix, options) = match top.remove("mix_param") {
            Some(Value::Object(mix)) => (mix, top.remove("layout_options")),
            Some(_) => {
                return Err(JobError::new(
                    "mix_param",
                    Problem::Rule("must be an object"),
                ));
            }
            None => (top, None),
        };
        if mix.get("layout_template").and_then(Value::as_str) == Some("nine_grids_view") {
            mix.remove("layout_panes");
        }
        let mix: MixParam = typed("mix_param", Value::Object(mix))?;
        let options: Option<LayoutOptionsParam> = match options {
            None => None,
            Some(options) => Some(typed("layout_options", options)?),
        };
        Job::from_parts(&mix, options.as_ref())
    }
}

/// Deserializes `value`, naming the field path of any error under `root`.
fn typed<T: serde::de::DeserializeOwned>(root: &str, value: Value) -> Result<T, JobError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." {
            root.to_owned()
        } else if inner.starts_with('[') {
            format!("{root}{inner}")
        } else {
            format!("{root}.{inner}")
        };
        JobError::new(path, Problem::Json(e.into_inner().to_string()))
    })
}

//! The matrix exercise file exactly as written (docs/deadlock.md, "Static analysis").

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixFile {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `{A: 10, B: 5}` (total instances) or `[A, B]` together with `available:`.
    pub resources: ResourcesFile,
    /// The free instances, when the exercise gives them instead of (or as well as) the totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<Vec<u64>>,
    /// In the order the algorithm scans them.
    pub processes: IndexMap<String, MatrixProcessFile>,
    /// Should this request be granted? (the banker's resource-request algorithm)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestFile>,
    /// Requests and releases decided one after another (the banker's request stream).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Vec<StreamItemFile>>,
    /// The rubric of `procsim grade`, read by `Exercise::from_yaml`.
    #[serde(default, skip_serializing)]
    pub grading: Option<serde::de::IgnoredAny>,
    /// Known answers, read by `Exercise::from_yaml`.
    #[serde(default, skip_serializing)]
    pub expected: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ResourcesFile {
    Totals(IndexMap<String, u64>),
    Names(Vec<String>),
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixProcessFile {
    pub allocation: Vec<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Vec<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Vec<u64>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequestFile {
    pub process: String,
    pub amounts: Vec<u64>,
}

/// An item of `requests:`: `{process: P1, amounts: [1, 0, 2]}` asks, `{process: P0, release:
/// [0, 1, 0]}` gives back.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StreamItemFile {
    pub process: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amounts: Option<Vec<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<Vec<u64>>,
}

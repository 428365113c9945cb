//! Headless grading of students' answers (docs/grading.md): the rubric a scenario carries, the
//! answer key computed from its run, the grading of one answer file, and the formats
//! autograders read.

pub mod formats;
pub mod grade;
pub mod key;
pub mod matrix;
pub mod rubric;
pub mod solution;

pub use grade::{GradedFile, GradedItem, grade};
pub use key::AnswerKey;
pub use rubric::{QuestionKind, Rubric};

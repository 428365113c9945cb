//! Headless grading of students' answers (docs/grading.md): the rubric a scenario carries, the
//! answer key computed from its run, the grading of one answer file, and the formats
//! autograders read.

pub mod bank;
pub mod expected;
pub mod formats;
pub mod grade;
mod items;
pub mod key;
pub mod matrix;
pub mod sheet;
pub mod solution;

pub use crate::rubric::{self, QuestionKind, Rubric};
pub use expected::check_expected;
pub use grade::{GradedFile, GradedItem, grade, grade_answer};
pub use key::AnswerKey;

//! A file of `scenarios/` or of a course: a scenario to simulate, or a matrix exercise to solve.

use crate::matrix::Matrix;
use crate::scenario::{Scenario, ScenarioError};

/// What an exercise file holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Exercise {
    Scenario(Box<Scenario>),
    Matrix(Box<Matrix>),
}

impl Exercise {
    /// Reads a scenario or, when the text has the matrix shape (`processes` as a map of
    /// `allocation` rows), a matrix exercise. Errors are those of the shape the text is closer
    /// to: the matrix's when it parses as a matrix file, the scenario's otherwise.
    pub fn from_yaml(text: &str) -> Result<Exercise, ScenarioError> {
        match Scenario::from_yaml(text) {
            Ok(scenario) => Ok(Exercise::Scenario(Box::new(scenario))),
            Err(scenario_error) => match Matrix::from_yaml(text) {
                Ok(matrix) => Ok(Exercise::Matrix(Box::new(matrix))),
                Err(matrix_error @ ScenarioError::Invalid { .. }) => Err(matrix_error),
                Err(ScenarioError::Syntax(_)) => Err(scenario_error),
            },
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Exercise::Scenario(scenario) => &scenario.name,
            Exercise::Matrix(matrix) => &matrix.name,
        }
    }

    pub fn expected(&self) -> Option<&crate::answer::Answer> {
        match self {
            Exercise::Scenario(scenario) => scenario.expected.as_ref(),
            Exercise::Matrix(matrix) => matrix.expected.as_ref(),
        }
    }
}

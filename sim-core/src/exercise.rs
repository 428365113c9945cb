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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_from_the_shape_the_file_is_closer_to() {
        let scenario =
            Exercise::from_yaml("name: s\npolicy: fcfs\nprocesses: [{name: P, burst: 0}]\n");
        assert!(
            scenario
                .unwrap_err()
                .one_line("f")
                .contains("processes[0].burst"),
        );
        let matrix = Exercise::from_yaml(
            "name: m\nresources: {A: 1}\nprocesses:\n  P0: {allocation: [2], max: [2]}\n",
        );
        assert!(
            matrix
                .unwrap_err()
                .one_line("f")
                .contains("more than the (1) instances")
        );
        let both = Exercise::from_yaml(
            "name: m\nresources: {A: 1}\nprocesses:\n  P0: {allocation: [1], max: [1]}\n",
        );
        assert!(matches!(both, Ok(Exercise::Matrix(_))));
    }
}

//! The risk of serious harm and MAPPA level most invented people carry.

use super::rng::Rng;
use crate::domain::case::{Case, Rosh};

/// RoSH mostly medium or low; MAPPA mostly none, more often managed when the risk is high.
pub(super) fn general_risk(case: &mut Case, rng: &mut Rng) {
    case.rosh = rng.weighted(&[
        (Some(Rosh::Low), 30),
        (Some(Rosh::Medium), 50),
        (Some(Rosh::High), 17),
        (Some(Rosh::VeryHigh), 1),
        (None, 2),
    ]);
    case.mappa = if matches!(case.rosh, Some(Rosh::High | Rosh::VeryHigh)) {
        rng.weighted(&[(None, 55), (Some(1), 30), (Some(2), 13), (Some(3), 2)])
    } else {
        rng.weighted(&[(None, 93), (Some(1), 6), (Some(2), 1)])
    };
}

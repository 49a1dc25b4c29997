//! The capacity ramp's what-if: the file's build pace and cost per GW, or
//! the user's, and the ramp they give.

use crate::data::Dataset;
use crate::derive::{self, Derived, Ramp};
use crate::figure::{Figure, Period, Qualifier, Unit};

/// The ramp scenario: the file's pace and cost per GW, or the user's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    /// GW per week, when changed from the file's.
    pub pace: Option<f64>,
    /// Dollars per GW, when changed from the file's.
    pub cost: Option<f64>,
}

pub const PACE_STEP: f64 = 0.25;
pub const COST_STEP: f64 = 5e9;

/// What the ramp is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioInputs {
    pub target: Figure,
    pub rate: Figure,
    pub cost: Option<Figure>,
}

/// Why a scenario key did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioRefusal {
    NoRamp,
    NoCost,
}

impl ScenarioRefusal {
    pub fn message(self) -> &'static str {
        match self {
            ScenarioRefusal::NoRamp => "this file has no capacity target and build rate to ramp",
            ScenarioRefusal::NoCost => "this file has no cost per GW to adjust",
        }
    }
}

impl Scenario {
    pub fn is_changed(&self) -> bool {
        self.pace.is_some() || self.cost.is_some()
    }

    /// The scenario's inputs as figures: the file's, hedges kept, unless the
    /// user changed them, in which case the user's number is exact.
    pub fn inputs(&self, dataset: &Dataset) -> Option<ScenarioInputs> {
        let capacity = dataset.capacity()?;
        let target = capacity.target.clone()?;
        let rate = match self.pace {
            Some(pace) => Figure::derived(Qualifier::Exact, pace * 1e9, Unit::Rate(Period::Week)),
            None => capacity.build_rate.clone()?,
        };
        let cost = match self.cost {
            Some(cost) => Some(Figure::derived(Qualifier::Exact, cost, Unit::Money)),
            None => capacity.cost_per_gw.clone(),
        };
        Some(ScenarioInputs { target, rate, cost })
    }

    /// The ramp these inputs give, against the committed total.
    pub fn ramp(&self, dataset: &Dataset, committed: &Derived) -> Option<Ramp> {
        let inputs = self.inputs(dataset)?;
        derive::ramp(
            dataset.as_of,
            &inputs.target,
            &inputs.rate,
            inputs.cost.as_ref(),
            Some(committed),
        )
    }

    /// Steps the pace (GW/week) and the cost per GW by the given deltas.
    pub fn adjust(
        &mut self,
        dataset: &Dataset,
        pace_delta: f64,
        cost_delta: f64,
    ) -> Result<(), ScenarioRefusal> {
        let inputs = self.inputs(dataset).ok_or(ScenarioRefusal::NoRamp)?;
        let pace = inputs
            .rate
            .watts_per_week()
            .ok_or(ScenarioRefusal::NoRamp)?
            / 1e9;
        if pace_delta != 0.0 {
            // Snap to the step grid so that + then - returns where it was.
            let stepped = ((pace + pace_delta) / PACE_STEP).round() * PACE_STEP;
            self.pace = Some(stepped.clamp(PACE_STEP, 100.0));
        }
        if cost_delta != 0.0 {
            let cost = inputs.cost.ok_or(ScenarioRefusal::NoCost)?.value;
            let stepped = ((cost + cost_delta) / COST_STEP).round() * COST_STEP;
            self.cost = Some(stepped.clamp(COST_STEP, 1e13));
        }
        Ok(())
    }
}

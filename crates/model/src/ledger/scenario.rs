//! The capacity ramp's what-if: the file's build pace and cost per GW, or
//! the user's, and the ramp they give.
//!
//! The user steps each by a factor of `STEP` from the file's own figure,
//! so a plan of 100 MW a month and one of 1 GW a week are both modelled in
//! steps that suit them; no number of steps down reaches zero, and there is
//! no other floor.

use crate::data::Dataset;
use crate::figure::{Figure, Qualifier};
use crate::ledger::{self, Derived, Ramp};

/// The ramp scenario: how many steps the user moved pace and cost per GW
/// from the file's figures (0: the file's).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    pub pace_steps: i32,
    pub cost_steps: i32,
}

/// One press of `+` multiplies by this; `-` divides by it.
pub const STEP: f64 = 1.25;

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
            ScenarioRefusal::NoRamp => "this buyer has no capacity target and build rate to ramp",
            ScenarioRefusal::NoCost => "this buyer's plan has no cost per GW to adjust",
        }
    }
}

/// The file's figure stepped `steps` times: the same unit, the user's
/// number exact. Zero steps is the file's figure, hedge and all.
fn stepped(file: &Figure, steps: i32) -> Figure {
    if steps == 0 {
        return file.clone();
    }
    Figure::derived(
        Qualifier::Exact,
        file.value * STEP.powi(steps),
        file.unit.clone(),
    )
}

impl Scenario {
    pub fn is_changed(&self) -> bool {
        self.pace_steps != 0 || self.cost_steps != 0
    }

    /// The build pace in GW per week, when the user changed it.
    pub fn pace(&self, dataset: &Dataset) -> Option<f64> {
        let inputs = self.inputs(dataset)?;
        (self.pace_steps != 0).then(|| inputs.rate.watts_per_week().unwrap_or(0.0) / 1e9)
    }

    /// The cost per GW in dollars, when the user changed it.
    pub fn cost(&self, dataset: &Dataset) -> Option<f64> {
        let cost = self.inputs(dataset)?.cost?;
        (self.cost_steps != 0).then_some(cost.value)
    }

    /// The scenario's inputs as figures: the file's, hedges kept, unless the
    /// user changed them, in which case the user's number is exact.
    pub fn inputs(&self, dataset: &Dataset) -> Option<ScenarioInputs> {
        let capacity = dataset.capacity()?;
        let target = capacity.target.clone()?;
        let rate = stepped(capacity.build_rate.as_ref()?, self.pace_steps);
        let cost = capacity
            .cost_per_gw
            .as_ref()
            .map(|c| stepped(c, self.cost_steps));
        Some(ScenarioInputs { target, rate, cost })
    }

    /// The ramp these inputs give from the plan's own day, against its
    /// buyer's committed total.
    /// The ramp at the scenario's pace and cost, from the power `online`
    /// on the plan's day (`ViewData::online_at_start`).
    pub fn ramp(
        &self,
        dataset: &Dataset,
        committed: &Derived,
        online: Option<ledger::OnlineAtStart>,
    ) -> Option<Ramp> {
        let inputs = self.inputs(dataset)?;
        ledger::ramp(
            ledger::plan_as_of(dataset, dataset.capacity()?),
            &inputs.target,
            &inputs.rate,
            inputs.cost.as_ref(),
            Some(committed),
            online,
        )
    }

    /// Steps the pace and the cost per GW up (positive) or down (negative).
    pub fn adjust(
        &mut self,
        dataset: &Dataset,
        pace_steps: i32,
        cost_steps: i32,
    ) -> Result<(), ScenarioRefusal> {
        let inputs = self.inputs(dataset).ok_or(ScenarioRefusal::NoRamp)?;
        inputs
            .rate
            .watts_per_week()
            .filter(|w| *w > 0.0)
            .ok_or(ScenarioRefusal::NoRamp)?;
        if cost_steps != 0 {
            inputs.cost.ok_or(ScenarioRefusal::NoCost)?;
        }
        // Far enough that a figure stays finite and above zero either way.
        self.pace_steps = (self.pace_steps + pace_steps).clamp(-200, 200);
        self.cost_steps = (self.cost_steps + cost_steps).clamp(-200, 200);
        Ok(())
    }
}

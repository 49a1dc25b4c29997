//! gigawatt's app: state, tabs, terminal and command line, over the model
//! crate (`gigawatt_model`), which knows nothing of the terminal.
//!
//! The binary (`main.rs`) is a thin shell; everything it runs lives here so
//! that tests can drive the app without a terminal.

pub mod app;
pub mod cli;
pub mod tabs;
pub mod tui;
pub mod ui;

//! gigawatt's app: state, tabs, terminal and command line, over the model
//! crate (`gigawatt_model`), which knows nothing of the terminal.
//!
//! The binary (`main.rs`) is a thin shell; everything it runs lives here so
//! that tests can drive the app without a terminal.

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod document;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod log;
pub mod overlay;
pub mod tab;
pub mod tabs;
pub mod theme;
pub mod tui;
pub mod ui;

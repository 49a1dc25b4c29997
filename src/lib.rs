//! gigawatt: a terminal explorer of AI compute commitments.
//!
//! The binary (`main.rs`) is a thin shell; everything it runs lives here so
//! that tests can drive the app without a terminal.

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod data;
pub mod derive;
pub mod diff;
pub mod document;
pub mod export;
pub mod figure;
pub mod flows;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod log;
pub mod overlay;
pub mod problems;
pub mod scenario;
pub mod tab;
pub mod tabs;
pub mod template;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod view;

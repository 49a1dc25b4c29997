//! The tab table: one row per tab, naming the variant and the module under
//! `src/tabs/` whose `SPEC` describes it. Order here is the order on screen
//! and of the `1`–`N` keys; nothing else counts the tabs.

use crate::tabs::{self, TabSpec};

macro_rules! tab_table {
    ($($variant:ident => $module:ident),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Tab {
            $($variant),+
        }

        impl Tab {
            /// How many tabs there are.
            pub const COUNT: usize = [$(Tab::$variant),+].len();

            /// Every tab, in screen order.
            pub const ALL: [Tab; Tab::COUNT] = [$(Tab::$variant),+];

            pub fn spec(self) -> &'static TabSpec {
                match self {
                    $(Tab::$variant => &tabs::$module::SPEC),+
                }
            }
        }
    };
}

tab_table! {
    Providers => providers,
    Commitments => commitments,
    Ramp => ramp,
    Notes => notes,
    Flows => flows,
    Sites => sites,
    Clusters => clusters,
}

impl Tab {
    pub fn index(self) -> usize {
        self as usize
    }

    /// The tab at `index`, the last one for anything beyond.
    pub fn at(index: usize) -> Tab {
        Tab::ALL[index.min(Tab::ALL.len() - 1)]
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn previous(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }

    pub fn title(self) -> &'static str {
        self.spec().title
    }

    /// The tab bar's labels at this width, in screen order.
    pub fn labels(width: u16) -> Vec<String> {
        let titles: Vec<(&str, &str)> = Tab::ALL
            .iter()
            .map(|t| (t.spec().title, t.spec().short))
            .collect();
        crate::ui::layout::tab_labels(&titles, width)
    }
}

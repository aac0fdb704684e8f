//! A view's sort orders, which `s` steps through.

/// The orders a view can sort its list by.
pub trait Order: Copy + PartialEq + 'static {
    /// Every order, in the order `s` steps through them; the first is the default.
    const ALL: &'static [Self];

    /// What the status line says after "Sorted by".
    fn label(self) -> &'static str;

    /// The order after this one, and the first again after the last.
    fn next(self) -> Self {
        let at = Self::ALL.iter().position(|o| *o == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }
}

//! The engine's tables, in name order (as ListTables returns them).
//!
//! A list sorted by name rather than a `BTreeMap<String, Table>`: lookups are the same binary
//! search, tables are created and deleted rarely, and a map type of its own would compile the
//! tree's code (≈ 8 KB of wasm) into the browser bundle once more.

use crate::table::Table;

/// Tables by name.
#[derive(Clone, Default)]
pub(crate) struct Tables(Vec<Table>);

impl Tables {
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|t| t.name.as_str().cmp(name))
    }

    /// The table called `name`.
    pub fn get(&self, name: &str) -> Option<&Table> {
        self.position(name).ok().map(|i| &self.0[i])
    }

    /// The table called `name`, to change.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Table> {
        self.position(name).ok().map(|i| &mut self.0[i])
    }

    /// Whether a table is called `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Adds `table`, replacing any table of the same name.
    pub fn insert(&mut self, table: Table) {
        match self.position(&table.name) {
            Ok(i) => self.0[i] = table,
            Err(i) => self.0.insert(i, table),
        }
    }

    /// Takes the table called `name` out.
    pub fn remove(&mut self, name: &str) -> Option<Table> {
        self.position(name).ok().map(|i| self.0.remove(i))
    }

    /// Every table, by name.
    pub fn values(&self) -> impl Iterator<Item = &Table> {
        self.0.iter()
    }

    /// Every table, by name, to change.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Table> {
        self.0.iter_mut()
    }

    /// Every table's name, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|t| &t.name)
    }
}

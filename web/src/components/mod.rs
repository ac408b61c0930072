//! One file per component of the shell.

pub mod console;
pub mod header;
pub mod table_list;

//! Regions and global tables in workspace documents and snapshots.

//! Catalog rows -> the canonical model, as pure functions, by stage:
//! [`raw`] (the rows `mod.rs` fills from `queries/*.sql`, one struct per
//! query, one field per column), [`assemble`] (rows to the model, children
//! attached by OID), [`objects`] (one object's codes and bitfields decoded),
//! [`text`] (constraint and index definitions re-created from their keys)
//! and [`lazy`] (trees standing as placeholders until deparsed). Nothing here
//! does I/O, so the decoding of PostgreSQL's bitfields and codes is
//! unit-tested without a server.

mod assemble;
mod lazy;
mod objects;
mod raw;
mod text;
mod text_search;

pub use assemble::*;
pub use lazy::*;
pub use objects::*;
pub use raw::*;
pub use text::*;
pub use text_search::*;

pub mod check;
pub mod codegen;
pub mod openapi;
pub mod bench;
pub mod contract;

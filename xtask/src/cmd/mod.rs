pub mod check;
pub mod codegen;
pub mod openapi;
pub mod server_gen;
pub mod bench;
pub mod contract;

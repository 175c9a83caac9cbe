pub mod check;
pub mod codegen;
pub mod openapi;

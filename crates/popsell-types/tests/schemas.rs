//! The JSON Schema (schemars) of every public type, snapshotted: a change of
//! the spec, of typify/progenitor or of a hand-written type shows up here.

mod support;

use schemars::schema_for;

/// Every public type: one row per component schema of the spec.
macro_rules! every_type {
    ($callback:ident) => {
        $callback!(
            Ambassador,
            Chatroom,
            ChatroomMember,
            ChatroomPage,
            ChatroomPivot,
            ChatroomSort,
            ChatroomTypeFilter,
            CommentedFilter,
            ErrorBody,
            FlagFilter,
            LaravelDateTime,
            Message,
            PaginationLink,
            QueryBoolean,
            Rating,
            Summary
        )
    };
}

macro_rules! names {
    ($($ty:ident),*) => { vec![$(stringify!($ty)),*] };
}

macro_rules! snapshot_each {
    ($($ty:ident),*) => {
        $(insta::assert_json_snapshot!(stringify!($ty), schema_for!(popsell_types::$ty));)*
    };
}

#[test]
fn the_list_covers_every_component_schema() {
    let mut spec_names: Vec<String> = support::component_schemas().keys().cloned().collect();
    spec_names.sort();
    let listed: Vec<&str> = every_type!(names);
    assert_eq!(spec_names, listed, "update every_type! when the spec's components change");
}

#[test]
fn json_schema_of_every_type() {
    every_type!(snapshot_each);
}

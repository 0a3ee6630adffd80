package db

// MustOpen is mustOpen for the tests of package db_test, which may import demo.
var MustOpen = mustOpen

package monitor

// ProcessOwnerOf names a process the way reading marks do, for tests.
var ProcessOwnerOf = processOwnerOf

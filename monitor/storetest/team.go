package storetest

import "testing"

// runTeam runs the part of the suite for stores a team shares.
func runTeam(t *testing.T, o Opener) {
}

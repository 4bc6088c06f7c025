//go:build !unix && !windows

package instance

// acquire has no lock to take on systems without flock(2): every start
// is the instance.
func acquire(dataDir string, onShow func(), cmd string) (func(), error) {
	return func() {}, nil
}

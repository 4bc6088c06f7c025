//go:build !windows && !darwin

package cli

// defaultDataDir says in the usage where the data directory is when --data
// is not given (monitor.DataDir).
const defaultDataDir = "$NEWSWATCH_DATA, else\n$XDG_DATA_HOME/newswatch, i.e. ~/.local/share/newswatch"

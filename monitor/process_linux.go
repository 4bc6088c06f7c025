//go:build linux

package monitor

import (
	"bytes"
	"os"
	"strconv"
	"strings"
)

// processStart says when the process pid started, in a form that is the
// same every time it is asked for the same process and differs for
// another process that later gets the same pid, also after a reboot: the
// boot's ID and the start time in clock ticks since boot (field 22 of
// /proc/PID/stat). "" when it cannot be told (no such process).
func processStart(pid int) string {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The command name (field 2) is in parentheses and may hold spaces
	// and parentheses itself: the fields after it follow the last ")".
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(string(stat[i+1:]))
	const startTime = 22 - 3 // field 22, counted from field 3 (the state)
	if len(fields) <= startTime {
		return ""
	}
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(boot)) + "/" + fields[startTime]
}

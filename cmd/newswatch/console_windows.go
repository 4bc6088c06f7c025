package main

import (
	"os"

	"golang.org/x/sys/windows"

	"codeberg.org/newswatch/newswatch/cli"
)

// newswatch.exe is a GUI program (linked with -H=windowsgui): Windows opens
// no console window for the desktop app. A GUI program started from a
// Command Prompt or PowerShell has no standard output, though, so the
// subcommands (newswatch.exe check, export, …) attach to the console they
// were started from and write there. Output redirected to a file or a
// pipe (newswatch.exe export > stories.csv) is left as it is. The desktop
// app does not attach: it would be tied to the console, and closing that
// would end it.

// useConsole attaches to the parent's console unless the command line
// starts the desktop app (or cannot be read: its error must be seen).
func useConsole(cmd *cli.Command, err error) {
	if err != nil || !cmd.Desktop {
		attachParentConsole()
	}
}

// desktopStart reports whether the command line starts the desktop app.
func desktopStart(args []string) bool {
	cmd, err := cli.Parse(args)
	return err == nil && cmd.Desktop
}

// AttachConsole is not in golang.org/x/sys/windows.
var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachParentProcess is ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentProcess = ^uint32(0)

// attachParentConsole gives standard input, output and error that have no
// handle the console of the parent process, if it has one (a start from
// Explorer has none, and then nothing changes).
func attachParentConsole() {
	std := []struct {
		id   uint32
		file **os.File
		name string
	}{
		{windows.STD_INPUT_HANDLE, &os.Stdin, "CONIN$"},
		{windows.STD_OUTPUT_HANDLE, &os.Stdout, "CONOUT$"},
		{windows.STD_ERROR_HANDLE, &os.Stderr, "CONOUT$"},
	}
	var missing []int
	for i, s := range std {
		if !validHandle(s.id) {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return
	}
	for _, i := range missing {
		s := std[i]
		name, _ := windows.UTF16PtrFromString(s.name)
		h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			continue
		}
		windows.SetStdHandle(s.id, h)
		*s.file = os.NewFile(uintptr(h), s.name)
	}
}

// validHandle reports whether the standard handle is one to write to or
// read from: a console, a file or a pipe.
func validHandle(id uint32) bool {
	h, err := windows.GetStdHandle(id)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}

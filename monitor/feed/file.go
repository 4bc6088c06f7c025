package feed

import (
	"errors"
	"fmt"
	"net/url"
	"os"

	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// errNotRegular is a feed file that is not a regular file.
var errNotRegular = errors.New("not a regular file")

// fetchFile reads a local feed file. Only a regular file is read: a named
// pipe would block the cycle until something writes to it, a device
// (/dev/zero) never ends.
func (f *Fetcher) fetchFile(u *url.URL, req Request) (*Response, error) {
	path := filePath(u)
	fh, st, err := openRegular(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, errorf(KindFile, err, msg.T("The feed file {{.Path}} does not exist."), "Path", path)
	case err == nil:
	case st != nil && st.IsDir():
		return nil, errorf(KindFile, nil, msg.T("{{.Path}} is a folder, not a feed file."), "Path", path)
	case errors.Is(err, errNotRegular):
		return nil, errorf(KindFile, err, msg.T("{{.Path}} is not a regular file (but a named pipe, a device or a socket); Newswatch reads feeds only from regular files."), "Path", path)
	default:
		return nil, errorf(KindFile, err, msg.T("The feed file {{.Path}} cannot be read ({{.Reason}})."), "Path", path, "Reason", fmt.Sprint(msg.Cause(err)))
	}
	defer fh.Close()
	// A file's size and modification time play the part of an ETag.
	tag := fmt.Sprintf("file:%d:%d", st.Size(), st.ModTime().UnixNano())
	out := &Response{ETag: tag, FinalURL: u.String()}
	if req.ETag == tag {
		out.NotModified = true
		return out, nil
	}
	raw, err := readCapped(fh, f.maxBytes(), st.Size())
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, errorf(KindFile, err, msg.T("The feed file {{.Path}} cannot be read ({{.Reason}})."), "Path", path, "Reason", err.Error())
	}
	out.WireBytes = int64(len(raw))
	out.Body = ToUTF8(raw, "")
	return out, nil
}

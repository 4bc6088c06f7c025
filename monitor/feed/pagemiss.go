package feed

import (
	"context"
	"errors"
	"time"

	"codeberg.org/newswatch/newswatch/monitor/inert"
	"codeberg.org/newswatch/newswatch/monitor/msg"
)

// PageMiss says in a few words why FetchPage failed, as the end of a
// sentence ("full text missing for 3 of 20 articles: the site answered
// 403"); timeout is the fetcher's.
func PageMiss(err error, timeout time.Duration) msg.Message {
	var fe *Error
	if !errors.As(err, &fe) {
		return msg.New(msg.T("the page could not be fetched ({{.Reason}})"), "Reason", inert.Cut(inert.Text(err.Error()), maxValue))
	}
	addr := fe.Text.Args["Address"]
	switch {
	case fe.Status != 0 && fe.Kind != KindNotHTML:
		return msg.New(msg.T("the site answered {{.Status}}"), "Status", fe.Status)
	case fe.Kind == KindNotHTML:
		return msg.New(msg.T("the page is not HTML but {{.Type}}"), "Type", fe.Text.Args["Type"])
	case fe.Text.Tmpl == msgRedirectNotWeb:
		return msg.New(msg.T("the page redirected to “{{.Address}}”, which is not a web address"), "Address", addr)
	case fe.Text.Tmpl == msgRedirectLocal:
		return msg.New(msg.T("the page redirected to {{.Address}}, an address on this computer or its local network"), "Address", addr)
	case fe.Text.Tmpl == msgPageLocal:
		return msg.New(msg.T("the page is at {{.Address}}, an address on this computer or its local network"), "Address", addr)
	case fe.Text.Tmpl == msgTooManyRedirects:
		return msg.New(msg.T("the page redirects more than {{.Max}} times"), "Max", MaxRedirects)
	case fe.Kind == KindInput:
		return msg.New(msg.T("the story's link is not a web address"))
	case errors.Is(fe.Err, context.DeadlineExceeded) || isTimeout(fe.Err):
		return msg.New(msg.T("the page did not arrive within {{.Seconds}} seconds"), "Seconds", int(timeout.Round(time.Second)/time.Second))
	case fe.Kind == KindNetwork:
		return msg.New(msg.T("the site {{.Host}} could not be reached"), "Host", fe.Text.Args["Host"])
	case fe.Kind == KindParse:
		return msg.New(msg.T("the site sent a damaged compressed page"))
	}
	return msg.New(msg.T("the page could not be fetched ({{.Reason}})"), "Reason", fe.Text)
}

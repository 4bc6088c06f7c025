package monitor

import "context"

// ScanPages calls fn for the articles of ids, in their order, until fn
// returns false: read loads them a page at a time (scanPage IDs), while
// fn works through the page before, scanAhead pages ahead (reading rows
// is half of a backtest). An ID read does not return (deleted meanwhile)
// is skipped. Both stores' ScanQuery use it.
func ScanPages(ctx context.Context, ids []int64, read func(ctx context.Context, ids []int64) (map[int64]*Article, error), fn func(*Article) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type page struct {
		ids  []int64
		arts map[int64]*Article
		err  error
		done chan struct{}
	}
	ahead := make(chan *page, scanAhead)
	go func() {
		defer close(ahead)
		for len(ids) > 0 && ctx.Err() == nil {
			p := &page{ids: ids[:min(len(ids), scanPage)], done: make(chan struct{})}
			ids = ids[len(p.ids):]
			go func() {
				p.arts, p.err = read(ctx, p.ids)
				close(p.done)
			}()
			select {
			case ahead <- p:
			case <-ctx.Done():
				<-p.done
				return
			}
		}
	}()
	defer func() {
		cancel()
		for p := range ahead { // let the readers finish before returning
			<-p.done
		}
	}()
	for p := range ahead {
		<-p.done
		if p.err != nil {
			return p.err
		}
		for _, id := range p.ids {
			a, ok := p.arts[id]
			if !ok {
				continue // deleted meanwhile
			}
			if !fn(a) {
				return nil
			}
		}
	}
	return ctx.Err()
}

// scanAhead is how many pages ScanPages reads ahead; scanPage how many
// articles a page holds.
const (
	scanAhead = 2
	scanPage  = 256
)

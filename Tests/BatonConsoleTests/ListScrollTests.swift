import Testing
@testable import BatonConsole

/// The one scroll model of the list-like panes: where a list starts, and how the movement
/// keys, the wheel and ←/→ move it.
@Suite struct ListScrollTests {
    @Test func theFirstRowShownStaysWithinTheListAndFollowingShowsTheLastPage() {
        #expect(ListScroll(top: 7).first(count: 20, visible: 5) == 7)
        #expect(ListScroll(top: 18).first(count: 20, visible: 5) == 15, "no row left empty that a row could fill")
        #expect(ListScroll(top: -3).first(count: 20, visible: 5) == 0)
        #expect(ListScroll(top: 4).first(count: 3, visible: 5) == 0, "a list shorter than the pane starts at its top")
        #expect(ListScroll(top: 2, follows: true).first(count: 20, visible: 5) == 15)
        #expect(ListScroll(follows: true).first(count: 0, visible: 5) == 0)
        #expect(ListScroll.lastTop(count: 20, visible: 5) == 15 && ListScroll.lastTop(count: 20, visible: -1) == 20)
    }

    @Test func movementKeysMoveByARowAPageOrToAnEndWithinTheList() {
        var scroll = ListScroll(top: 3)
        scroll.move(.down, count: 20, visible: 5, tails: false)
        #expect(scroll.top == 4)
        scroll.move(.pageDown, count: 20, visible: 5, tails: false)
        #expect(scroll.top == 9)
        scroll.move(.pageDown, count: 20, visible: 5, tails: false)
        scroll.move(.pageDown, count: 20, visible: 5, tails: false)
        #expect(scroll.top == 15, "never past the last page")
        scroll.move(.up, count: 20, visible: 5, tails: false)
        #expect(scroll.top == 14)
        scroll.move(.top, count: 20, visible: 5, tails: false)
        #expect(scroll.top == 0)
        scroll.move(.pageUp, count: 20, visible: 5, tails: false)
        #expect(scroll.top == 0)
        scroll.move(.bottom, count: 20, visible: 5, tails: false)
        #expect(scroll.top == 15 && !scroll.follows, "a list that does not tail never follows")
        var past = ListScroll(top: 40)
        past.move(.up, count: 20, visible: 5, tails: false)
        #expect(past.top == 14, "a key moves from the row shown first, not from a top past the end")
    }

    @Test func aTailingListStopsFollowingWhenMovedUpAndFollowsAgainAtItsEnd() {
        var scroll = ListScroll(follows: true)
        scroll.move(.up, count: 20, visible: 5, tails: true)
        #expect(scroll.top == 14 && !scroll.follows)
        scroll.move(.down, count: 20, visible: 5, tails: true)
        #expect(scroll.top == 15 && scroll.follows, "down to the end follows again")
        scroll.move(.top, count: 20, visible: 5, tails: true)
        #expect(scroll.top == 0 && !scroll.follows)
        scroll.move(.bottom, count: 20, visible: 5, tails: true)
        #expect(scroll.follows)
        var short = ListScroll(follows: true)
        short.move(.top, count: 3, visible: 5, tails: true)
        #expect(!short.follows, "only a move down or G follows")
    }

    @Test func theWheelScrollsByRowsWithinTheListAndFollowsAgainAtTheEnd() {
        var scroll = ListScroll(follows: true)
        scroll.scroll(by: -3, count: 20, visible: 5, tails: true)
        #expect(scroll.top == 12 && !scroll.follows)
        scroll.scroll(by: -30, count: 20, visible: 5, tails: true)
        #expect(scroll.top == 0)
        scroll.scroll(by: 30, count: 20, visible: 5, tails: true)
        #expect(scroll.top == 15 && scroll.follows)
        var table = ListScroll(top: 2)
        table.scroll(by: 30, count: 20, visible: 5, tails: false)
        #expect(table.top == 15 && !table.follows)
        table.scroll(by: -3, count: 20, visible: 5, tails: false)
        #expect(table.top == 12, "turning back answers at once")
    }

    @Test func leftAndRightScrollSidewaysWithinTheLimit() {
        var scroll = ListScroll()
        scroll.scrollSideways(.right, limit: 20)
        #expect(scroll.column == ListScroll.sidewaysStep)
        scroll.scrollSideways(.right, limit: 20)
        scroll.scrollSideways(.right, limit: 20)
        #expect(scroll.column == 20)
        scroll.scrollSideways(.left, limit: 20)
        #expect(scroll.column == 20 - ListScroll.sidewaysStep)
        scroll.scrollSideways(.left, limit: 20)
        scroll.scrollSideways(.left, limit: 20)
        #expect(scroll.column == 0)
        scroll.scrollSideways(.down, limit: 20)
        #expect(scroll.column == 0)
    }
}

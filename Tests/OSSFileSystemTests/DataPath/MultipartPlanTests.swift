import Testing
import TestSupport
@testable import OSSFileSystem

/// The multipart plan: contiguous numbered parts within OSS limits.
@Suite struct MultipartPlanTests {
    /// Every byte is in exactly one part, parts ascend from 1, all but the last are full.
    private func checkCoverage(_ plan: MultipartPlan) {
        var next: Int64 = 0
        for (index, part) in plan.parts.enumerated() {
            #expect(part.number == index + 1)
            #expect(part.range.lowerBound == next)
            if index < plan.partCount - 1 { #expect(part.length == plan.partSize) }
            #expect(part.length > 0 && part.length <= plan.partSize)
            next = part.range.upperBound
        }
        #expect(next == plan.size)
    }

    @Test func exactMultipleGivesFullParts() {
        let plan = MultipartPlan(size: 64 << 20, preferredPartSize: 16 << 20)
        #expect(plan.partCount == 4)
        #expect(plan.parts.map(\.length) == Array(repeating: 16 << 20, count: 4))
        checkCoverage(plan)
    }

    @Test func remainderGoesToTheShortLastPart() {
        let plan = MultipartPlan(size: (40 << 20) + 5, preferredPartSize: 16 << 20)
        #expect(plan.partCount == 3)
        let last = plan.parts[2]
        let expectedLength: Int64 = (8 << 20) + 5
        let expectedRange: Range<Int64> = (32 << 20)..<((40 << 20) + 5)
        #expect(last.length == expectedLength)
        #expect(last.range == expectedRange)
        checkCoverage(plan)
    }

    @Test func tooSmallPartSizeIsRaisedToTheOSSMinimum() {
        let plan = MultipartPlan(size: 1 << 20, preferredPartSize: 1000)
        #expect(plan.partSize == 100 << 10)
        #expect(plan.partCount == 11)
        checkCoverage(plan)
    }

    @Test func hugeObjectsStayWithinTenThousandParts() {
        let size: Int64 = 1 << 40
        let plan = MultipartPlan(size: size, preferredPartSize: 8 << 20)
        #expect(plan.partCount <= 10_000)
        #expect(plan.partSize >= size / 10_000)
        #expect(plan.part(number: plan.partCount).range.upperBound == size)
    }

    @Test func emptyObjectHasNoParts() {
        #expect(MultipartPlan(size: 0, preferredPartSize: 1 << 20).parts.isEmpty)
    }

    @Test func partNumberContainingAnOffset() {
        let plan = MultipartPlan(size: 10 << 20, preferredPartSize: 1 << 20)
        #expect(plan.partNumber(containing: 0) == 1)
        #expect(plan.partNumber(containing: (1 << 20) - 1) == 1)
        #expect(plan.partNumber(containing: 1 << 20) == 2)
        #expect(plan.partNumber(containing: (10 << 20) - 1) == 10)
    }

    @Test func arbitrarySizesAreCoveredExactly() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let size = Int64(rng.next() % (50 << 20)) + 1
            let partSize = Int64(rng.next() % (4 << 20)) + 1
            checkCoverage(MultipartPlan(size: size, preferredPartSize: partSize))
        }
    }
}

// SPDX-License-Identifier: MIT
// A Chainlink AggregatorV3-style proof-of-reserve feed for Backcheck's test chain.
// The test owner sets whole rounds so scenarios can be fresh, stale or malformed.
// State is set by initialize() (not a constructor) so the code can be placed at a real
// feed address with anvil_setCode.
pragma solidity ^0.8.20;

contract ReserveFeed {
    uint8 public decimals;
    string public description;
    uint256 public constant version = 1;
    address public owner;

    uint80 private _roundId;
    int256 private _answer;
    uint256 private _startedAt;
    uint256 private _updatedAt;
    uint80 private _answeredInRound;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    function initialize(uint8 decimals_, string calldata description_) external {
        require(owner == address(0), "initialized");
        decimals = decimals_;
        description = description_;
        owner = msg.sender;
    }

    function updateAnswer(int256 answer) external {
        setRound(_roundId + 1, answer, block.timestamp, block.timestamp, _roundId + 1);
    }

    function setRound(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
        public
    {
        require(msg.sender == owner, "only owner");
        (_roundId, _answer, _startedAt, _updatedAt, _answeredInRound) =
            (roundId, answer, startedAt, updatedAt, answeredInRound);
        emit AnswerUpdated(answer, roundId, updatedAt);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (_roundId, _answer, _startedAt, _updatedAt, _answeredInRound);
    }

    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        require(roundId == _roundId, "No data present");
        return (_roundId, _answer, _startedAt, _updatedAt, _answeredInRound);
    }
}

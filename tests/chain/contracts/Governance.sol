// SPDX-License-Identifier: MIT
// Read-side doubles of the governance contracts that hold issuer powers, for Backcheck's tests:
// a Safe-style m-of-n multisig (getOwners/getThreshold, as Safe exposes them), an
// OpenZeppelin-TimelockController-style timelock (getMinDelay), and a Chainalysis-style
// sanctions list (isSanctioned). They can forward calls so they can act as owners.
pragma solidity ^0.8.20;

contract SafeLike {
    address[] private _owners;
    uint256 private _threshold;

    constructor(address[] memory owners_, uint256 threshold_) {
        _owners = owners_;
        _threshold = threshold_;
    }

    function getOwners() external view returns (address[] memory) {
        return _owners;
    }

    function getThreshold() external view returns (uint256) {
        return _threshold;
    }

    /// Test shortcut: any owner may forward a call (a real Safe needs threshold signatures).
    function exec(address to, bytes calldata data) external {
        bool isOwner;
        for (uint256 i = 0; i < _owners.length; i++) isOwner = isOwner || _owners[i] == msg.sender;
        require(isOwner, "not an owner");
        (bool ok, ) = to.call(data);
        require(ok, "call failed");
    }
}

contract TimelockLike {
    uint256 private _minDelay;
    address public proposer;

    constructor(uint256 minDelay_, address proposer_) {
        _minDelay = minDelay_;
        proposer = proposer_;
    }

    function getMinDelay() external view returns (uint256) {
        return _minDelay;
    }

    /// Test shortcut: the proposer forwards a call at once (a real timelock waits minDelay).
    function exec(address to, bytes calldata data) external {
        require(msg.sender == proposer, "not the proposer");
        (bool ok, ) = to.call(data);
        require(ok, "call failed");
    }
}

contract SanctionsListLike {
    mapping(address => bool) public isSanctioned;
    address public owner = msg.sender;

    function setSanctioned(address a, bool value) external {
        require(msg.sender == owner, "only owner");
        isSanctioned[a] = value;
    }
}

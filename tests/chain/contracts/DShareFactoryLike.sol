// SPDX-License-Identifier: MIT
// A factory shaped like Dinari's DShareFactory for Backcheck's tests: getDShares() returns every
// dShare and every wrapped dShare it made (IDShareFactory in dinaricrypto/sbt-contracts), the list
// Backcheck reads as the issuer's list. addDShare lets a test list any address (an account without
// code, a contract that answers nothing) to see how a failed token read is told.
pragma solidity ^0.8.20;

contract DShareLike {
    string public name;
    string public symbol;
    uint8 public decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        (name, symbol, decimals) = (name_, symbol_, decimals_);
    }
}

contract DShareFactoryLike {
    address[] private dShares;
    address[] private wrappedDShares;

    event DShareAdded(address indexed dShare, address indexed wrappedDShare, string indexed symbol, string name);

    function createDShare(
        string calldata name,
        string calldata symbol,
        string calldata wrappedName,
        string calldata wrappedSymbol
    ) external returns (address dShare, address wrapped) {
        dShare = address(new DShareLike(name, symbol, 18));
        wrapped = address(new DShareLike(wrappedName, wrappedSymbol, 18));
        dShares.push(dShare);
        wrappedDShares.push(wrapped);
        emit DShareAdded(dShare, wrapped, symbol, name);
    }

    function addDShare(address dShare, address wrapped) external {
        dShares.push(dShare);
        wrappedDShares.push(wrapped);
    }

    function getDShares() external view returns (address[] memory, address[] memory) {
        return (dShares, wrappedDShares);
    }
}

// SPDX-License-Identifier: MIT
// A factory shaped like Robinhood Chain's StockFactory for Backcheck's tests: every stock token it
// makes is announced by Deployed(bytes32 indexed uid, address stock, string name, string symbol)
// (facts-onchain.md §1.5), the events Backcheck reads as the factory's list. Other events it emits
// must not be taken for tokens.
pragma solidity ^0.8.20;

contract StockLike {
    string public name;
    string public symbol;

    constructor(string memory name_, string memory symbol_) {
        (name, symbol) = (name_, symbol_);
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }
}

contract StockFactoryLike {
    event Deployed(bytes32 indexed uid, address stock, string name, string symbol);
    event Noted(bytes32 indexed uid, address stock, string name, string symbol);

    function deploy(bytes32 uid, string calldata name, string calldata symbol) external returns (address stock) {
        stock = address(new StockLike(name, symbol));
        emit Deployed(uid, stock, name, symbol);
    }

    function note(bytes32 uid, address stock) external {
        emit Noted(uid, stock, "not a token", "NOPE");
    }
}

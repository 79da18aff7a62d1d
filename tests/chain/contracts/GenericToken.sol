// SPDX-License-Identifier: MIT
// An ordinary ERC-20 written to OpenZeppelin's public interfaces (ERC20, Ownable, Pausable), for
// Backcheck's test chain: the owner alone can mint, pause and unpause, and move anyone's tokens
// (forceTransfer). Holders can burn their own tokens; the issuer has no burn of its own.
pragma solidity ^0.8.20;

contract GenericToken {
    string public name;
    string public symbol;
    uint256 public totalSupply;
    address public owner;
    bool public paused;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event Paused(address account);
    event Unpaused(address account);

    modifier onlyOwner() {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        _;
    }

    constructor(string memory name_, string memory symbol_, address owner_) {
        (name, symbol) = (name_, symbol_);
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        _transfer(from, to, amount);
        return true;
    }

    function burn(uint256 amount) external {
        _transfer(msg.sender, address(0), amount);
        totalSupply -= amount;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function forceTransfer(address from, address to, uint256 amount) external onlyOwner {
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    function pause() external onlyOwner {
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyOwner {
        paused = false;
        emit Unpaused(msg.sender);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function renounceOwnership() external onlyOwner {
        emit OwnershipTransferred(owner, address(0));
        owner = address(0);
    }

    function _transfer(address from, address to, uint256 amount) private {
        require(!paused, "Pausable: paused");
        balanceOf[from] -= amount;
        if (to != address(0)) balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}

// SPDX-License-Identifier: MIT
// Test double of Backed's plain bToken (BackedTokenImplementation 1.1.0, facts-onchain.md §2.1):
// roles, pause and sanctions list, but no multiplier functions (calls to them revert).
pragma solidity ^0.8.20;

interface ISanctions {
    function isSanctioned(address addr) external view returns (bool);
}

contract BackedTokenV1 {
    string public constant VERSION = "1.1.0";

    bool private _initialized;
    string public name;
    string public symbol;
    string public terms;
    address public owner;
    address public minter;
    address public burner;
    address public pauser;
    address public sanctionsList;
    bool public isPaused;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event NewMinter(address newMinter);
    event NewBurner(address newBurner);
    event NewPauser(address newPauser);
    event NewSanctionsList(address newSanctionsList);
    event PauseModeChange(bool pauseMode);

    function initialize(string calldata name_, string calldata symbol_, address owner_) external {
        require(!_initialized, "Initializable: contract is already initialized");
        _initialized = true;
        (name, symbol, owner) = (name_, symbol_, owner_);
        terms = "https://www.backedassets.fi/legal-documentation";
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function mint(address account, uint256 amount) external {
        require(msg.sender == minter, "BackedToken: Only minter");
        totalSupply += amount;
        balanceOf[account] += amount;
        emit Transfer(address(0), account, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        require(!isPaused, "BackedToken: token transfer while paused");
        if (sanctionsList != address(0)) {
            require(!ISanctions(sanctionsList).isSanctioned(msg.sender), "BackedToken: sender is sanctioned");
            require(!ISanctions(sanctionsList).isSanctioned(to), "BackedToken: receiver is sanctioned");
        }
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function setPause(bool mode) external {
        require(msg.sender == pauser, "BackedToken: Only pauser");
        isPaused = mode;
        emit PauseModeChange(mode);
    }

    function setMinter(address a) external { require(msg.sender == owner, "Ownable"); minter = a; emit NewMinter(a); }
    function setBurner(address a) external { require(msg.sender == owner, "Ownable"); burner = a; emit NewBurner(a); }
    function setPauser(address a) external { require(msg.sender == owner, "Ownable"); pauser = a; emit NewPauser(a); }

    function setSanctionsList(address a) external {
        require(msg.sender == owner, "Ownable");
        sanctionsList = a;
        emit NewSanctionsList(a);
    }
}
